namespace Switchboard.Caching;

/// <summary>What the cache does with one request.</summary>
internal enum CacheAction
{
    /// <summary>Do not read or write the cache.</summary>
    Bypass,

    /// <summary>Answer from the cache when present; otherwise compute and store.</summary>
    Lookup,

    /// <summary>Compute without reading, then store (<c>no-cache</c>).</summary>
    Refresh,
}
