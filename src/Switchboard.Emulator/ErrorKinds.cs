namespace Switchboard.Emulator;

/// <summary>The provider-neutral error kinds a fault can ask for, and the kind implied by an HTTP status.</summary>
internal static class ErrorKinds
{
    public const string RateLimit = "rate_limit";
    public const string Quota = "quota";
    public const string Overloaded = "overloaded";
    public const string Auth = "auth";
    public const string Permission = "permission";
    public const string Invalid = "invalid";
    public const string ContextLength = "context_length";
    public const string ContentFilter = "content_filter";
    public const string NotFound = "not_found";
    public const string Server = "server";
    public const string TooLarge = "too_large";
    public const string Timeout = "timeout";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        RateLimit, Quota, Overloaded, Auth, Permission, Invalid, ContextLength, ContentFilter, NotFound, Server,
    };

    public static string FromStatus(int status) => status switch
    {
        401 => Auth,
        403 => Permission,
        404 => NotFound,
        413 => TooLarge,
        429 => RateLimit,
        503 or 529 => Overloaded,
        504 => Timeout,
        >= 500 => Server,
        _ => Invalid,
    };
}
