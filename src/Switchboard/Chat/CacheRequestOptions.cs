namespace Switchboard.Chat;

/// <summary>Per-request control of the response cache, carried by the request's <see cref="SwitchboardContext"/>.</summary>
public sealed record CacheRequestOptions
{
    /// <summary>What the request asks of the cache.</summary>
    public CacheDirective Directive { get; init; }

    /// <summary>Overrides the route's lifetime for an answer stored by this request.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>The cache partition; defaults to the caller's key (<see cref="CallerIdentity.KeyId"/>).</summary>
    public string? Tenant { get; init; }

    /// <summary>Parses a header value: <c>no-store</c>, <c>no-cache</c>, <c>opt-in</c> (or <c>store</c>); null or empty is none.</summary>
    public static bool TryParseDirective(string? value, out CacheDirective directive)
    {
        directive = CacheDirective.None;
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "":
                return true;
            case "no-store":
                directive = CacheDirective.NoStore;
                return true;
            case "no-cache":
                directive = CacheDirective.NoCache;
                return true;
            case "opt-in" or "store":
                directive = CacheDirective.OptIn;
                return true;
            default:
                return false;
        }
    }
}
