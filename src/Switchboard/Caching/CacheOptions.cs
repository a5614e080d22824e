using System.Globalization;

namespace Switchboard.Caching;

/// <summary>The response cache's settings, bound from <c>Switchboard:Cache</c> and validated at start-up.</summary>
public sealed class CacheOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Switchboard:Cache";

    /// <summary>False turns the cache off: every request is a bypass.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>StackExchange.Redis connection string of the shared second level; empty keeps the cache in process.</summary>
    public string? Redis { get; set; }

    /// <summary>Prefix of the Redis keys.</summary>
    public string RedisInstanceName { get; set; } = CacheDefaults.RedisInstanceName;

    /// <summary>Connect and command timeout towards Redis, in milliseconds.</summary>
    public int RedisTimeoutMs { get; set; } = CacheDefaults.RedisTimeoutMs;

    /// <summary>Seconds Redis is skipped after a failure before it is probed again.</summary>
    public double RedisRetrySeconds { get; set; } = CacheDefaults.RedisRetrySeconds;

    /// <summary>How long an answer is kept (<c>1.00:00:00</c> = 24 h).</summary>
    public TimeSpan DefaultTtl { get; set; } = CacheDefaults.Ttl;

    /// <summary>Per-route lifetimes: route or model name → seconds (<c>3600</c>) or a TimeSpan (<c>01:00:00</c>).</summary>
    public Dictionary<string, string> RouteTtls { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Which requests are cached: <see cref="CacheModes"/>.</summary>
    public string Mode { get; set; } = CacheModes.Deterministic;

    /// <summary>Answers larger than this (approximate UTF-8 bytes) are not stored.</summary>
    public int MaxEntryBytes { get; set; } = CacheDefaults.MaxEntryBytes;

    /// <summary>A namespace shared by every tenant, replacing the per-tenant partition. Off (null) by default.</summary>
    public string? Namespace { get; set; }

    /// <summary>Longest time an answer stays in process memory when Redis is configured (bounds memory and staleness).</summary>
    public TimeSpan LocalTtl { get; set; } = CacheDefaults.LocalTtl;

    /// <summary>Whether a Redis second level is configured.</summary>
    public bool HasRedis => !string.IsNullOrWhiteSpace(Redis);

    /// <summary>The lifetime for a route: its <see cref="RouteTtls"/> entry, else <see cref="DefaultTtl"/>.</summary>
    public TimeSpan TtlFor(string? route) =>
        route is not null && RouteTtls.TryGetValue(route, out var text) && TryParseTtl(text, out var ttl) ? ttl : DefaultTtl;

    /// <summary>Parses a lifetime written as whole seconds (<c>600</c>) or as a TimeSpan (<c>00:10:00</c>).</summary>
    public static bool TryParseTtl(string? text, out TimeSpan ttl)
    {
        ttl = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds > TimeSpan.MaxValue.TotalSeconds)
            {
                return false;
            }

            ttl = TimeSpan.FromSeconds(seconds);
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out ttl);
    }

    internal CacheOptions Clone()
    {
        var copy = (CacheOptions)MemberwiseClone();
        copy.RouteTtls = new Dictionary<string, string>(RouteTtls, StringComparer.OrdinalIgnoreCase);
        return copy;
    }
}
