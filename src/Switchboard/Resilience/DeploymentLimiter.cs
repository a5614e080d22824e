using System.Threading.RateLimiting;

namespace Switchboard.Resilience;

/// <summary>
/// A deployment's requests-per-minute and tokens-per-minute limits (System.Threading.RateLimiting). The token cost is
/// estimated before the call and topped up from the usage the provider reports.
/// </summary>
internal sealed class DeploymentLimiter : IDisposable
{
    private readonly SlidingWindowRateLimiter? _requests;
    private readonly TokenBucketRateLimiter? _tokens;
    private readonly int _tpm;

    public DeploymentLimiter(int? rpm, int? tpm)
    {
        if (rpm is { } r)
        {
            _requests = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
            {
                PermitLimit = r,
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 6,
                QueueLimit = 1_000,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }

        if (tpm is { } t)
        {
            _tpm = t;
            _tokens = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = t,
                TokensPerPeriod = Math.Max(1, t / 60),
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }
    }

    public bool IsLimited => _requests is not null || _tokens is not null;

    /// <summary>Takes a request and its estimated tokens now, or returns false without waiting.</summary>
    public bool TryAcquire(long estimatedTokens)
    {
        using var request = _requests?.AttemptAcquire(1);
        if (request is { IsAcquired: false })
        {
            return false;
        }

        using var tokens = _tokens?.AttemptAcquire(Clamp(estimatedTokens));
        if (tokens is { IsAcquired: false })
        {
            return false;
        }

        return true;
    }

    /// <summary>Waits for a request and its tokens (used when this deployment is the only candidate left).</summary>
    public async ValueTask AcquireAsync(long estimatedTokens, CancellationToken cancellationToken)
    {
        if (_requests is not null)
        {
            using var lease = await _requests.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        }

        if (_tokens is not null)
        {
            using var lease = await _tokens.AcquireAsync(Clamp(estimatedTokens), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Charges the tokens the provider reported beyond the estimate (best effort: never blocks).</summary>
    public void Settle(long estimatedTokens, long actualTokens)
    {
        if (_tokens is not null && actualTokens > estimatedTokens)
        {
            using var _ = _tokens.AttemptAcquire(Clamp(actualTokens - estimatedTokens));
        }
    }

    public long? RequestsHeadroom => _requests?.GetStatistics()?.CurrentAvailablePermits;

    public long? TokensHeadroom => _tokens?.GetStatistics()?.CurrentAvailablePermits;

    private int Clamp(long tokens) => (int)Math.Clamp(tokens, 0, _tpm);

    public void Dispose()
    {
        _requests?.Dispose();
        _tokens?.Dispose();
    }
}
