using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Gateway.Edges.Gemini;
using Switchboard.Gateway.Edges.OpenAI;
using Switchboard.Gateway.Http;

namespace Switchboard.Gateway.Endpoints;

/// <summary>
/// The embeddings endpoints: OpenAI's <c>POST /v1/embeddings</c> here; Gemini's <c>:embedContent</c> and
/// <c>:batchEmbedContents</c> are dispatched by <see cref="GeminiEndpoints"/> to <see cref="Gemini"/>.
/// </summary>
internal static class EmbeddingEndpoints
{
    public static IEndpointRouteBuilder MapEmbeddingEndpoints(this IEndpointRouteBuilder app)
    {
        var handler = Handler(app);
        // As a Delegate (not a RequestDelegate), so the endpoint gets a RouteHandlerBuilder and its OpenAPI body.
        app.MapPost("/v1/embeddings", (Delegate)((HttpContext http) => handler.Value.HandleAsync(http, OpenAIProtocol.Instance, OpenAIEmbeddingEdge.Parse,
                static (embeddings, request) => OpenAIEmbeddingEdge.Write(embeddings, request.Model!, request.Base64))))
            .WithName("Embeddings").WithSummary("OpenAI embeddings (float or base64), routed to OpenAI, Gemini or OpenAI-compatible servers.")
            .Accepts<object>("application/json");
        return app;
    }

    /// <summary>The handler, built once from the application's services on first use (it needs no registration of its own).</summary>
    public static Lazy<EmbeddingHandler> Handler(IEndpointRouteBuilder app) =>
        new(() => ActivatorUtilities.CreateInstance<EmbeddingHandler>(app.ServiceProvider));

    /// <summary>Gemini's <c>:embedContent</c> (<paramref name="batch"/> false) or <c>:batchEmbedContents</c> for <paramref name="model"/>.</summary>
    public static Task Gemini(HttpContext http, EmbeddingHandler handler, string model, bool batch) => batch
        ? handler.HandleAsync(http, GeminiProtocol.Errors, body => GeminiEmbeddingEdge.ParseBatch(body, model),
            static (embeddings, _) => GeminiEmbeddingEdge.WriteBatch(embeddings))
        : handler.HandleAsync(http, GeminiProtocol.Errors, body => GeminiEmbeddingEdge.ParseSingle(body, model),
            static (embeddings, _) => GeminiEmbeddingEdge.WriteSingle(embeddings));
}
