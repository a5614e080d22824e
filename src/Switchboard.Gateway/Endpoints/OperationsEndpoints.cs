using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchboard.Caching;
using Switchboard.Gateway.Auth;
using Switchboard.Hosting;

namespace Switchboard.Gateway.Endpoints;

/// <summary><c>/healthz</c> (alive) and <c>/readyz</c> (dependencies and deployments).</summary>
internal static class OperationsEndpoints
{
    public static IEndpointRouteBuilder MapOperationsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok")).WithSummary("Liveness.");
        app.MapGet("/readyz", async (SwitchboardHealth health, IKeyStore keys, IServiceProvider services, CancellationToken ct) =>
        {
            var checks = new Dictionary<string, string>();
            try
            {
                await keys.ListAsync(ct);
                checks["store"] = "ok";
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                checks["store"] = "unavailable";
            }

            // Redis is optional: an outage degrades the cache to memory, it does not make the gateway unready.
            if (services.GetService(typeof(ResilientDistributedCache)) is ResilientDistributedCache redis)
            {
                checks["redis"] = redis.IsDegraded ? $"degraded since {redis.DegradedSince:O}: {redis.LastError}" : "ok";
            }

            var deployments = health.Deployments();
            var anyUsable = deployments.Any(d => d.Circuit is "closed" or "half-open");
            checks["deployments"] = anyUsable ? "ok" : "none available";
            var ready = checks.Where(c => c.Key != "redis").All(c => c.Value == "ok");
            return Results.Json(new ReadinessReport(ready ? "ready" : "not ready", checks, deployments),
                GatewayJsonContext.Default.ReadinessReport, statusCode: ready ? 200 : 503);
        }).WithSummary("Readiness: the store and each deployment's circuit.");
        return app;
    }
}
