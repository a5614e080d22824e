using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Gateway.Http;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// Browser pages on the origins in <c>Switchboard:Gateway:CorsOrigins</c> may call the gateway (the official SDKs' browser
/// modes, web chat clients): preflights are answered for any method and header (an SDK's own headers, <c>anthropic-*</c>,
/// <c>x-stainless-*</c>) and the answers' routing headers are readable by the page. Nothing is added when the list is empty.
/// </summary>
internal static class GatewayCors
{
    /// <summary>The response headers a page may read: the request id, Retry-After and Switchboard's routing facts.</summary>
    private static readonly string[] Exposed =
    [
        RoutingHeaders.RequestId, "retry-after", RoutingHeaders.Provider, RoutingHeaders.Model, RoutingHeaders.Attempts,
        RoutingHeaders.CostUsd, RoutingHeaders.Cache, RoutingHeaders.CacheSavedUsd, RoutingHeaders.OverheadMs, RoutingHeaders.Guardrails,
        RoutingHeaders.CompactionSavedTokens, RoutingHeaders.Emulated, TokenCountHandler.SourceHeader,
    ];

    public static void AddGatewayCors(this IServiceCollection services, GatewayOptions gateway)
    {
        if (gateway.CorsOrigins.Count == 0)
        {
            return;
        }

        services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            if (gateway.CorsOrigins.Contains("*"))
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins([.. gateway.CorsOrigins]);
            }

            policy.AllowAnyMethod().AllowAnyHeader().WithExposedHeaders(Exposed).SetPreflightMaxAge(TimeSpan.FromMinutes(10));
        }));
    }

    public static void UseGatewayCors(this WebApplication app, GatewayOptions gateway)
    {
        if (gateway.CorsOrigins.Count > 0)
        {
            app.UseCors(); // answers a preflight itself, before any endpoint (or the 404 fallback) sees it
        }
    }
}
