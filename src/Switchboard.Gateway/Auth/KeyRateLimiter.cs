using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Switchboard.Gateway.Auth;

/// <summary>Per-virtual-key requests and tokens per minute. Refusals say when to retry.</summary>
internal sealed class KeyRateLimiter : IDisposable
{
    private readonly ConcurrentDictionary<string, (RateLimiter? Requests, RateLimiter? Tokens)> _limiters = new(StringComparer.Ordinal);

    /// <summary>Null when admitted, else the seconds to wait.</summary>
    public int? TryAdmit(VirtualKey key, long estimatedTokens)
    {
        if (key.Rpm is null && key.Tpm is null)
        {
            return null;
        }

        var (requests, tokens) = _limiters.GetOrAdd(key.Id, _ => (
            key.Rpm is { } rpm ? new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = rpm, Window = TimeSpan.FromMinutes(1), SegmentsPerWindow = 6, QueueLimit = 0, AutoReplenishment = true,
            }) : null,
            key.Tpm is { } tpm ? new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = tpm, TokensPerPeriod = Math.Max(1, tpm / 60), ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0,
                AutoReplenishment = true,
            }) : null));

        using var requestLease = requests?.AttemptAcquire(1);
        if (requestLease is { IsAcquired: false })
        {
            return RetryAfterSeconds(requestLease, 10);
        }

        using var tokenLease = tokens?.AttemptAcquire((int)Math.Clamp(estimatedTokens, 1, key.Tpm ?? int.MaxValue));
        if (tokenLease is { IsAcquired: false })
        {
            return RetryAfterSeconds(tokenLease, 1);
        }

        return null;
    }

    private static int RetryAfterSeconds(RateLimitLease lease, int fallback) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : fallback;

    public void Dispose()
    {
        foreach (var (requests, tokens) in _limiters.Values)
        {
            requests?.Dispose();
            tokens?.Dispose();
        }
    }
}
