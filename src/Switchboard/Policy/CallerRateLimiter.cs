using System.Collections.Concurrent;
using Switchboard.Chat;
using Switchboard.RateLimits;

namespace Switchboard.Policy;

/// <summary>
/// Per-caller requests and tokens per minute, taken both or neither. Counted in Redis across replicas when a shared
/// store is configured, else (and during a Redis outage) in this replica's memory. Refusals say when to retry.
/// </summary>
public sealed class CallerRateLimiter(TimeProvider time, ISharedRateLimitStore? shared = null)
{
    private readonly ConcurrentDictionary<string, WindowCounter> _local = new(StringComparer.Ordinal);

    /// <summary>Null when admitted, else the seconds to wait.</summary>
    public async ValueTask<int?> TryAdmitAsync(CallerIdentity caller, long estimatedTokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var decision = shared is null
            ? null
            : await shared.TryAcquireAsync("k:" + caller.Id, caller.Rpm, caller.Tpm, estimatedTokens, cancellationToken).ConfigureAwait(false);
        decision ??= _local.GetOrAdd(caller.Id, static (_, c) => new WindowCounter(c.Caller.Rpm, c.Caller.Tpm, c.Time), (Caller: caller, Time: time))
            .TryAcquire(estimatedTokens);
        return decision.Value.Acquired ? null : decision.Value.RetryAfterSeconds;
    }
}
