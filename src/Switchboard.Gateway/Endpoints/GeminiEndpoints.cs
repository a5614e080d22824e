using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchboard.Gateway.Auth;
using Switchboard.Gateway.Http;
using Switchboard.Routing;

namespace Switchboard.Gateway.Endpoints;

/// <summary>
/// The Gemini API on any provider: <c>POST /v1beta/models/{model}:generateContent</c>, <c>:streamGenerateContent</c>,
/// <c>:countTokens</c>, <c>:embedContent</c>, <c>:batchEmbedContents</c> and <c>GET /v1beta/models</c>, also under <c>/v1/</c> (where <c>GET /v1/models</c> stays OpenAI's list
/// unless the caller sends a Gemini key header or <c>?key=</c>). The model part may be <c>provider/model</c>.
/// </summary>
internal static class GeminiEndpoints
{
    public static IEndpointRouteBuilder MapGeminiEndpoints(this IEndpointRouteBuilder app)
    {
        var embeddings = EmbeddingEndpoints.Handler(app);
        foreach (var version in new[] { "v1beta", "v1" })
        {
            app.MapPost($"/{version}/models/{{**target}}", (HttpContext http, string target, ChatHandler chat, TokenCountHandler count) =>
                    DispatchAsync(http, target, chat, count, embeddings))
                .WithName($"GeminiModels_{version}")
                .WithSummary("Gemini generateContent, streamGenerateContent, countTokens, embedContent and batchEmbedContents, routed across providers.")
                .Accepts<object>("application/json");
        }

        app.MapGet("/v1beta/models", ListAsync).WithName("GeminiListModels").WithSummary("Routable models in Gemini's list shape.");
        return app;
    }

    /// <summary>Whether a <c>GET /v1/models</c> comes from a Gemini client (its key header or query key).</summary>
    public static bool IsGeminiCaller(HttpRequest request) =>
        request.Headers.ContainsKey("x-goog-api-key") || request.Query.ContainsKey("key");

    public static async Task ListAsync(HttpContext http, RouteTable routes, Authenticator auth)
    {
        var caller = await auth.AuthenticateAsync(http, adminOnly: false);
        if (caller.Caller is null)
        {
            await JsonBody.WriteAsync(http, caller.Status, GeminiProtocol.Errors.WriteError(new GatewayError(caller.Status, "authentication_error", null, caller.Error!)));
            return;
        }

        var names = routes.Routes.Select(r => r.Name)
            .Concat(routes.Aliases)
            .Concat(routes.ServableModels().Select(d => d.Model))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(name => caller.Caller.Key?.Allows(name) ?? true)
            .ToList();
        await JsonBody.WriteAsync(http, 200, GeminiProtocol.WriteModels(names));
    }

    private static Task DispatchAsync(HttpContext http, string target, ChatHandler chat, TokenCountHandler count, Lazy<EmbeddingHandler> embeddings)
    {
        var colon = target.LastIndexOf(':');
        var model = colon > 0 ? target[..colon] : target;
        if (model.StartsWith("models/", StringComparison.Ordinal))
        {
            model = model["models/".Length..];
        }

        switch (colon > 0 ? target[(colon + 1)..] : string.Empty)
        {
            case "generateContent":
                return chat.HandleAsync(http, new GeminiProtocol(model, stream: false));
            case "streamGenerateContent":
                return chat.HandleAsync(http, new GeminiProtocol(model, stream: true));
            case "countTokens":
                var protocol = new GeminiProtocol(model, stream: false);
                return count.HandleAsync(http, protocol, protocol.ParseCount, GeminiProtocol.WriteCount);
            case "embedContent":
                return EmbeddingEndpoints.Gemini(http, embeddings.Value, model, batch: false);
            case "batchEmbedContents":
                return EmbeddingEndpoints.Gemini(http, embeddings.Value, model, batch: true);
            case var method:
                var error = new GatewayError(404, "invalid_request_error", "not_found",
                    method.Length == 0
                        ? $"'{http.Request.Path}' names no method: use models/{{model}}:generateContent, :streamGenerateContent, :countTokens, :embedContent or :batchEmbedContents."
                        : $"The method '{method}' is not served by this gateway: use generateContent, streamGenerateContent, countTokens, embedContent or batchEmbedContents.");
                return JsonBody.WriteAsync(http, 404, GeminiProtocol.Errors.WriteError(error));
        }
    }
}
