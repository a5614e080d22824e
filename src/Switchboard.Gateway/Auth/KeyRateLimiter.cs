using System.Collections.Concurrent;
using Switchboard.RateLimits;

namespace Switchboard.Gateway.Auth;

/// <summary>
/// Per-virtual-key requests and tokens per minute, taken both or neither. Counted in Redis across replicas when a
/// shared store is configured, else (and during a Redis outage) in this replica's memory. Refusals say when to retry.
/// </summary>
internal sealed class KeyRateLimiter(TimeProvider time, RedisRateLimitStore? shared = null)
{
    private readonly ConcurrentDictionary<string, WindowCounter> _local = new(StringComparer.Ordinal);

    /// <summary>Null when admitted, else the seconds to wait.</summary>
    public async ValueTask<int?> TryAdmitAsync(VirtualKey key, long estimatedTokens, CancellationToken cancellationToken)
    {
        if (key.Rpm is null && key.Tpm is null)
        {
            return null;
        }

        var decision = shared is null
            ? null
            : await shared.TryAcquireAsync("k:" + key.Id, key.Rpm, key.Tpm, estimatedTokens, cancellationToken).ConfigureAwait(false);
        decision ??= _local.GetOrAdd(key.Id, _ => new WindowCounter(key.Rpm, key.Tpm, time)).TryAcquire(estimatedTokens);
        return decision.Value.Acquired ? null : decision.Value.RetryAfterSeconds;
    }
}
