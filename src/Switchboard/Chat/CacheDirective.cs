namespace Switchboard.Chat;

/// <summary>A request's instruction to the response cache (the <c>x-switchboard-cache</c> header).</summary>
public enum CacheDirective
{
    /// <summary>Follow the configured mode.</summary>
    None,

    /// <summary>Neither read nor write the cache for this request.</summary>
    NoStore,

    /// <summary>Do not answer from the cache; call the provider and store the fresh answer.</summary>
    NoCache,

    /// <summary>Make this request cacheable even when it is not deterministic (temperature above 0).</summary>
    OptIn,
}
