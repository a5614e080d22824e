using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Switchboard.Telemetry;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// OpenTelemetry for the gateway: Switchboard's spans and metrics plus ASP.NET Core, HttpClient and .NET runtime
/// instrumentation; Prometheus at <c>/metrics</c>; traces, and OTLP export of both, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the
/// exporter reads the standard OTEL_* variables itself).
/// </summary>
internal static class TelemetrySetup
{
    public static void AddGatewayTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddSingleton<Switchboard.Chat.IAttemptObserver, TelemetryObserver>();
        services.AddSingleton<SwitchboardGauges>();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? "switchboard"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(SwitchboardTelemetry.Name, "System.Runtime")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            // Spans are recorded only when they go somewhere: without an exporter every request paid for its
            // ASP.NET Core, HttpClient and Switchboard activities and then dropped them.
            telemetry.WithTracing(tracing => tracing.AddSource(SwitchboardTelemetry.Name, SwitchboardTelemetry.ContentSourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => http.Request.Path != "/metrics")
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }
    }
}
