namespace Switchboard.RateLimits;

/// <summary><c>Switchboard:RateLimits</c>: where requests- and tokens-per-minute counts live, and how long callers may queue.</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Switchboard:RateLimits";

    /// <summary>
    /// A Redis connection string shared by every replica; when empty, <c>Switchboard:Cache:Redis</c> is used; when both
    /// are empty, each replica counts in its own memory.
    /// </summary>
    public string? Redis { get; set; }

    /// <summary>Prefix of the counters' Redis keys.</summary>
    public string KeyPrefix { get; set; } = "switchboard:rl:";

    /// <summary>Connect and command timeout for Redis (ms): past it a check falls back to the local counts.</summary>
    public int RedisTimeoutMs { get; set; } = 250;

    /// <summary>Requests that may wait at once for a saturated deployment that is a request's last candidate; more are refused.</summary>
    public int QueueLimit { get; set; } = 100;
}
