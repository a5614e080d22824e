using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchboard.Gateway.Auth;
using Switchboard.Gateway.Http;
using Switchboard.Routing;

namespace Switchboard.Gateway.Endpoints;

/// <summary><c>GET /v1/models</c>: every route alias and every catalog model a configured provider serves (OpenAI list shape).</summary>
internal static class ModelsEndpoint
{
    public static IEndpointRouteBuilder MapModelsEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/models", async (HttpContext http, RouteTable routes, Authenticator auth) =>
        {
            if (GeminiEndpoints.IsGeminiCaller(http.Request))
            {
                await GeminiEndpoints.ListAsync(http, routes, auth);
                return Results.Empty;
            }

            var caller = await auth.AuthenticateAsync(http, adminOnly: false);
            if (caller.Caller is null)
            {
                return Results.Json(new { error = new { message = caller.Error, type = "authentication_error", code = "invalid_api_key", param = (string?)null } },
                    statusCode: caller.Status);
            }

            var entries = routes.Routes.Select(r => new ModelEntry(r.Name, "model", 0, "switchboard"))
                .Concat(routes.Aliases.Select(a => new ModelEntry(a, "model", 0, "switchboard")))
                .Concat(routes.ServableModels().Select(d => new ModelEntry(d.Model, "model", 0, d.Provider)))
                .Concat(routes.ServableModels().Select(d => new ModelEntry(d.Name, "model", 0, d.Provider)))
                .DistinctBy(e => e.Id, StringComparer.OrdinalIgnoreCase)
                .Where(e => caller.Caller.Key?.Allows(e.Id) ?? true)
                .ToList();
            return Results.Json(new ModelList("list", entries), GatewayJsonContext.Default.ModelList);
        }).WithName("ListModels").WithSummary("Routable models and aliases.");
        return app;
    }
}
