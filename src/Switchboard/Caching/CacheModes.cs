namespace Switchboard.Caching;

/// <summary>Names of the response cache's admission modes (<c>Switchboard:Cache:Mode</c>).</summary>
public static class CacheModes
{
    /// <summary>Cache only requests with temperature 0, or that opt in (the default).</summary>
    public const string Deterministic = "deterministic";

    /// <summary>Cache every request unless it says <c>no-store</c>.</summary>
    public const string Always = "always";

    /// <summary>Cache only requests that opt in.</summary>
    public const string OptIn = "opt-in";

    /// <summary>Every mode name.</summary>
    public static IReadOnlyList<string> All { get; } = [Deterministic, Always, OptIn];
}
