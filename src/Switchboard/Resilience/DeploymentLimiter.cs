using Switchboard.RateLimits;

namespace Switchboard.Resilience;

/// <summary>
/// A deployment's requests-per-minute and tokens-per-minute limits. The token cost is estimated before the call and
/// topped up from the usage the provider reports. Counted in Redis across replicas when a shared store is configured,
/// else (and during a Redis outage) in this replica's <see cref="WindowCounter"/>. At most <c>queueLimit</c> callers
/// wait at once for a saturated deployment; the rest are refused at once.
/// </summary>
internal sealed class DeploymentLimiter(string id, int? rpm, int? tpm, TimeProvider time, int queueLimit = 100, ISharedRateLimitStore? shared = null)
{
    private readonly WindowCounter _local = new(rpm, tpm, time);
    private int _waiting;

    public bool IsLimited => _local.IsLimited;

    /// <summary>Takes a request and its estimated tokens now (both or neither).</summary>
    public async ValueTask<RateLimitDecision> TryAcquireAsync(long estimatedTokens, CancellationToken cancellationToken)
    {
        if (shared is not null && await shared.TryAcquireAsync(id, rpm, tpm, estimatedTokens, cancellationToken).ConfigureAwait(false) is { } decision)
        {
            return decision;
        }

        return _local.TryAcquire(estimatedTokens);
    }

    /// <summary>
    /// Waits for a request and its tokens (used when this deployment is the only candidate left); false at once when
    /// <c>queueLimit</c> callers are already waiting.
    /// </summary>
    public async ValueTask<bool> AcquireAsync(long estimatedTokens, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _waiting) > queueLimit)
        {
            Interlocked.Decrement(ref _waiting);
            return false;
        }

        try
        {
            while (true)
            {
                var decision = await TryAcquireAsync(estimatedTokens, cancellationToken).ConfigureAwait(false);
                if (decision.Acquired)
                {
                    return true;
                }

                await Task.Delay(decision.RetryAfter, time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>Charges the tokens the provider reported beyond the estimate (best effort: never blocks).</summary>
    public void Settle(long estimatedTokens, long actualTokens)
    {
        if (tpm is not { } limit || actualTokens <= estimatedTokens)
        {
            return;
        }

        _local.AddTokens(actualTokens - estimatedTokens);
        shared?.AddTokens(id, limit, actualTokens - estimatedTokens);
    }

    public long? RequestsHeadroom => _local.RequestsHeadroom;

    public long? TokensHeadroom => _local.TokensHeadroom;
}
