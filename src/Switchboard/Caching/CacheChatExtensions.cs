using Microsoft.Extensions.AI;

namespace Switchboard.Caching;

/// <summary>Carries cache control on requests and the cache's verdict on responses through the property bags.</summary>
public static class CacheChatExtensions
{
    /// <summary>Sets per-request cache control (creating the property bag when needed).</summary>
    public static ChatOptions WithCache(this ChatOptions options, CacheRequestOptions cache)
    {
        (options.AdditionalProperties ??= [])[CacheProperties.Request] = cache;
        return options;
    }

    /// <summary>The per-request cache control on these options, if any.</summary>
    public static CacheRequestOptions? GetCacheOptions(this ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(CacheProperties.Request, out var value) == true ? value as CacheRequestOptions : null;

    /// <summary><see cref="CacheStatus"/> of this response, or null when no response cache was in the pipeline.</summary>
    public static string? GetCacheStatus(this ChatResponse response) => Read<string>(response.AdditionalProperties, CacheProperties.Status);

    /// <summary><see cref="CacheStatus"/> carried by this update (a stream's first update carries it).</summary>
    public static string? GetCacheStatus(this ChatResponseUpdate update) => Read<string>(update.AdditionalProperties, CacheProperties.Status);

    /// <summary>On a hit: what the original answer cost, and so what this one saved.</summary>
    public static decimal? GetCacheSavedCostUsd(this ChatResponse response) => Read<decimal?>(response.AdditionalProperties, CacheProperties.SavedCostUsd);

    /// <summary>On a replayed stream's first and last updates: what the original answer cost.</summary>
    public static decimal? GetCacheSavedCostUsd(this ChatResponseUpdate update) => Read<decimal?>(update.AdditionalProperties, CacheProperties.SavedCostUsd);

    private static T? Read<T>(AdditionalPropertiesDictionary? bag, string key) =>
        bag is not null && bag.TryGetValue(key, out var value) && value is T typed ? typed : default;
}
