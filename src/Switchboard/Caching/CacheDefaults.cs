namespace Switchboard.Caching;

/// <summary>Default values of <see cref="CacheOptions"/>.</summary>
public static class CacheDefaults
{
    /// <summary>How long an answer is kept: 24 hours.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromHours(24);

    /// <summary>How long an answer is kept in process memory when Redis is the shared store: 5 minutes.</summary>
    public static readonly TimeSpan LocalTtl = TimeSpan.FromMinutes(5);

    /// <summary>The largest answer stored: 1 MiB.</summary>
    public const int MaxEntryBytes = 1024 * 1024;

    /// <summary>Prefix of every Redis key the cache writes.</summary>
    public const string RedisInstanceName = "switchboard:";

    /// <summary>Connect and command timeout towards Redis, so an outage never stalls a request.</summary>
    public const int RedisTimeoutMs = 500;

    /// <summary>How long Redis is skipped after a failure before one request probes it again.</summary>
    public const double RedisRetrySeconds = 5;
}
