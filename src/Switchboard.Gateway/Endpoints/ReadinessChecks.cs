using Microsoft.Extensions.Diagnostics.HealthChecks;
using Switchboard.Caching;
using Switchboard.Gateway.Auth;
using Switchboard.Hosting;
using Switchboard.Ledger;

namespace Switchboard.Gateway.Endpoints;

/// <summary>The key store answers, the ledger journal can be written and is not nearly full (not ready otherwise), and the
/// ledger store is reachable (degraded when not: records wait in the journal).</summary>
internal sealed class StoreHealthCheck(IKeyStore keys, LedgerWriter ledger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await keys.ListAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("key store unavailable");
        }

        var journal = ledger.Journal;
        if (!ledger.JournalAvailable)
        {
            return HealthCheckResult.Unhealthy($"ledger journal cannot be written ({journal.PendingBytes} of {journal.MaxBytes} bytes used); " +
                $"{ledger.PendingRecords} record(s) not yet in the store, {ledger.LostRecords} lost");
        }

        if (journal.PendingBytes > journal.MaxBytes / 10 * 9)
        {
            return HealthCheckResult.Unhealthy($"ledger journal nearly full ({journal.PendingBytes} of {journal.MaxBytes} bytes): the store is not keeping up");
        }

        return ledger.StoreAvailable
            ? HealthCheckResult.Healthy("ok")
            : HealthCheckResult.Degraded($"ledger store unreachable; {ledger.PendingRecords} record(s) journalled locally");
    }
}

/// <summary>Redis is optional: an outage degrades the cache to memory, it does not make the gateway unready.</summary>
internal sealed class RedisHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(services.GetService(typeof(IDistributedCacheStatus)) is not IDistributedCacheStatus redis
            ? HealthCheckResult.Healthy("not configured")
            : redis.IsDegraded
                ? HealthCheckResult.Degraded($"degraded since {redis.DegradedSince:O}: {redis.LastError}")
                : HealthCheckResult.Healthy("ok"));
}

/// <summary>At least one deployment's circuit lets requests through.</summary>
internal sealed class DeploymentsHealthCheck(SwitchboardHealth health) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(health.Deployments().Any(d => d.Circuit is "closed" or "half-open")
            ? HealthCheckResult.Healthy("ok")
            : HealthCheckResult.Unhealthy("no deployment available"));
}
