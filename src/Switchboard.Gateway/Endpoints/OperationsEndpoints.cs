using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Switchboard.Gateway.Auth;
using Switchboard.Hosting;

namespace Switchboard.Gateway.Endpoints;

/// <summary><c>/healthz</c> (alive) and <c>/readyz</c> (ASP.NET Core health checks: store, Redis, deployments, as JSON).</summary>
internal static class OperationsEndpoints
{
    public static IServiceCollection AddReadinessChecks(this IServiceCollection services)
    {
        services.AddSingleton<Hosting.StartupWarmup>();
        services.AddHostedService(sp => sp.GetRequiredService<Hosting.StartupWarmup>());
        services.AddHealthChecks()
            .AddCheck<Hosting.StartupWarmup>("warmup")
            .AddCheck<StoreHealthCheck>("store")
            .AddCheck<RedisHealthCheck>("redis")
            .AddCheck<DeploymentsHealthCheck>("deployments");
        return services;
    }

    public static IEndpointRouteBuilder MapOperationsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok")).WithSummary("Liveness.");
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteAsync,
        });
        return app;
    }

    private static async Task WriteAsync(HttpContext http, HealthReport report)
    {
        var checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status == HealthStatus.Healthy ? "ok" : e.Value.Description ?? e.Value.Status.ToString());
        var status = report.Status switch
        {
            HealthStatus.Healthy => "ready",
            HealthStatus.Degraded => "ready (degraded)",
            _ => "not ready",
        };
        http.Response.ContentType = "application/json";
        // Anonymous callers learn ready / not ready only; the checks and the deployments (with providers' last error
        // texts) need the master key.
        var caller = await http.RequestServices.GetRequiredService<Authenticator>().AuthenticateAsync(http, adminOnly: true);
        if (caller.Caller is null)
        {
            await JsonSerializer.SerializeAsync(http.Response.Body, new ReadinessStatus(status), GatewayJsonContext.Default.ReadinessStatus, http.RequestAborted);
            return;
        }

        var deployments = http.RequestServices.GetRequiredService<SwitchboardHealth>().Deployments();
        await JsonSerializer.SerializeAsync(http.Response.Body, new ReadinessReport(status, checks, deployments),
            GatewayJsonContext.Default.ReadinessReport, http.RequestAborted);
    }
}
