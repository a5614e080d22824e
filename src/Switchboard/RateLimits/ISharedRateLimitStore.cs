namespace Switchboard.RateLimits;

/// <summary>
/// Requests- and tokens-per-minute counts shared by every replica (the <c>Switchboard.Redis</c> package provides one).
/// Without it, each replica counts in its own memory with <see cref="WindowCounter"/>, the same arithmetic.
/// </summary>
public interface ISharedRateLimitStore
{
    /// <summary>True while the shared store fails and limits are enforced per replica.</summary>
    bool IsDegraded { get; }

    /// <summary>Takes one request and <paramref name="tokens"/> tokens from the shared counts of <paramref name="id"/> (both or
    /// neither); null when the store cannot answer now (the caller then counts locally).</summary>
    ValueTask<RateLimitDecision?> TryAcquireAsync(string id, int? rpm, int? tpm, long tokens, CancellationToken cancellationToken);

    /// <summary>Charges (or refunds, when negative) tokens beyond an earlier estimate, without a check; never throws.</summary>
    void AddTokens(string id, int tpm, long tokens);
}
