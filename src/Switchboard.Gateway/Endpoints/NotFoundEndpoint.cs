using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Switchboard.Gateway.Edges.OpenAI;
using Switchboard.Gateway.Http;

namespace Switchboard.Gateway.Endpoints;

/// <summary>
/// A path no endpoint serves answers a JSON 404 in OpenAI's error shape that names it (an empty 404 shows agents only
/// "Unknown error"). A fallback route: it matches only when no other endpoint does, and never paths under <c>/ui/</c>,
/// which the dashboard's static files serve after routing.
/// </summary>
internal static class NotFoundEndpoint
{
    public static IEndpointRouteBuilder MapNotFoundFallback(this IEndpointRouteBuilder app)
    {
        // The constraint is an object, not an inline regex: the slim host does not register the regex constraint.
        var pattern = RoutePatternFactory.Parse("{*path}", defaults: null, parameterPolicies: new { path = new NotUnderDashboard() });
        app.Map(pattern, async (HttpContext http) =>
        {
            var path = http.Request.Path.Value ?? "/";
            await JsonBody.WriteAsync(http, StatusCodes.Status404NotFound, OpenAIEdgeResponseWriter.WriteError(
                $"Unknown request URL: {http.Request.Method} {path}. This gateway serves /v1/chat/completions, /v1/responses, /v1/messages and /v1/models.",
                "invalid_request_error", "unknown_url", null));
        }).ExcludeFromDescription().Add(static endpoint => ((RouteEndpointBuilder)endpoint).Order = int.MaxValue); // after every other endpoint, like MapFallback
        return app;
    }

    /// <summary>Leaves <c>/ui/…</c> to the dashboard's static files.</summary>
    private sealed class NotUnderDashboard : IRouteConstraint
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            values.TryGetValue(routeKey, out var value) && value is string path
                ? !path.StartsWith("ui/", StringComparison.OrdinalIgnoreCase)
                : true;
    }
}
