using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Switchboard.Pricing;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// Loads at start what the first request would otherwise pay for: the o200k tokenizer (its vocabulary is read and indexed
/// on first use, most of the first request's added latency). It calls no provider and writes no ledger record.
/// <c>/readyz</c> says not ready until it is done, so a load balancer sends the first request to a warm gateway.
/// <c>switchboard serve</c> also warms the whole request path before this gateway is built (<see cref="ProcessWarmup"/>),
/// so by then the tokenizer is usually loaded already.
/// </summary>
internal sealed class StartupWarmup(TokenEstimator estimator) : BackgroundService, IHealthCheck
{
    private volatile bool _done;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_done ? HealthCheckResult.Healthy("ok") : HealthCheckResult.Unhealthy("warming up"));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        try
        {
            _ = estimator.CountText("Switchboard warm-up: the tokenizer's vocabulary is loaded before the first request.");
        }
        finally
        {
            _done = true;
        }
    }, stoppingToken);
}
