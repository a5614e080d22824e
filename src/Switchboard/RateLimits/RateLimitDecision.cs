namespace Switchboard.RateLimits;

/// <summary>The answer of a rate-limit check: admitted, or refused with the time after which a retry can succeed.</summary>
public readonly record struct RateLimitDecision(bool Acquired, TimeSpan RetryAfter)
{
    public static RateLimitDecision Admitted => new(true, TimeSpan.Zero);

    /// <summary>The wait in whole seconds for a <c>retry-after</c> header (at least 1).</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}
