namespace Switchboard.Chat;

/// <summary>How the response cache treated a request (the <c>x-switchboard-cache</c> response header).</summary>
public static class CacheStatus
{
    /// <summary>Served without calling a provider: from the cache, or from an identical request in flight.</summary>
    public const string Hit = "hit";

    /// <summary>Looked up, not found: the provider answered (and the answer was stored when it could be).</summary>
    public const string Miss = "miss";

    /// <summary>The cache was not consulted (disabled, not deterministic, <c>no-store</c>/<c>no-cache</c>, uncacheable content).</summary>
    public const string Bypass = "bypass";
}
