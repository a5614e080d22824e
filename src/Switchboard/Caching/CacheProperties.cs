namespace Switchboard.Caching;

/// <summary>Keys the response cache uses in <c>AdditionalProperties</c> bags.</summary>
public static class CacheProperties
{
    /// <summary>Request: the <see cref="CacheRequestOptions"/> in <c>ChatOptions.AdditionalProperties</c>.</summary>
    public const string Request = "switchboard.cache.request";

    /// <summary>Response: <see cref="CacheStatus"/> (on a stream's first update; also its last one on a hit).</summary>
    public const string Status = "switchboard.cache";

    /// <summary>Response, on a hit: the original answer's cost in USD (decimal), which this hit did not spend.</summary>
    public const string SavedCostUsd = "switchboard.cache.saved_cost_usd";

    /// <summary>Response, on a hit: the provider that originally answered.</summary>
    public const string Provider = "switchboard.cache.provider";

    /// <summary>Response, on a hit: the deployment model that originally answered.</summary>
    public const string Model = "switchboard.cache.model";

    /// <summary>Response, on a hit: when the answer was stored (DateTimeOffset).</summary>
    public const string StoredAt = "switchboard.cache.stored_at";
}
