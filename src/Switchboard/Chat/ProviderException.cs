using Microsoft.Extensions.AI;

namespace Switchboard.Chat;

/// <summary>A failed provider call, classified into one taxonomy shared by every provider.</summary>
/// <remarks>The message never contains a credential: mappers build it from the provider's error text only.</remarks>
public sealed class ProviderException : Exception
{
    public ProviderException(ProviderErrorKind kind, string message, string? provider = null, int? statusCode = null,
        TimeSpan? retryAfter = null, string? providerCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Provider = provider;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
        ProviderCode = providerCode;
    }

    /// <summary>What went wrong, in the shared taxonomy.</summary>
    public ProviderErrorKind Kind { get; }

    /// <summary>The configured provider name (for example <c>openai</c>), when known.</summary>
    public string? Provider { get; }

    /// <summary>The HTTP status the provider answered with; null for network errors and in-stream errors without one.</summary>
    public int? StatusCode { get; }

    /// <summary>How long the provider asked us to wait, from <c>retry-after</c>, <c>retry-after-ms</c> or its error body.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The provider's own error code or type (<c>rate_limit_exceeded</c>, <c>overloaded_error</c>, <c>RESOURCE_EXHAUSTED</c>).</summary>
    public string? ProviderCode { get; }

    /// <summary>Whether trying the same deployment again may succeed (a transient failure).</summary>
    public bool IsRetryable => IsRetryableKind(Kind);

    /// <summary>
    /// Whether the failure says something about the provider rather than the request (transient failures, and the
    /// gateway's own credentials or account: authentication, permission, quota), so another provider may well succeed.
    /// </summary>
    public bool ImplicatesProvider => ImplicatesProviderKind(Kind);

    /// <summary>Usage reported before the failure, for a stream that broke after it had started.</summary>
    public UsageDetails? PartialUsage { get; set; }

    /// <summary>Whether the failure happened after output had already been sent on to the caller.</summary>
    public bool OutputCommitted { get; set; }

    /// <summary>Whether errors of this kind are transient.</summary>
    public static bool IsRetryableKind(ProviderErrorKind kind) => kind is
        ProviderErrorKind.RateLimited or ProviderErrorKind.Overloaded or ProviderErrorKind.Timeout or
        ProviderErrorKind.ServerError or ProviderErrorKind.Network or ProviderErrorKind.MalformedResponse;

    /// <summary>Whether errors of this kind say something about the provider (see <see cref="ImplicatesProvider"/>).</summary>
    public static bool ImplicatesProviderKind(ProviderErrorKind kind) => IsRetryableKind(kind) || kind is
        ProviderErrorKind.Authentication or ProviderErrorKind.Permission or ProviderErrorKind.QuotaExceeded;

    /// <summary>The kind a bare HTTP status implies when the body says nothing more specific.</summary>
    public static ProviderErrorKind KindFromStatus(int status) => status switch
    {
        400 or 413 or 422 => ProviderErrorKind.InvalidRequest,
        401 => ProviderErrorKind.Authentication,
        403 => ProviderErrorKind.Permission,
        404 => ProviderErrorKind.NotFound,
        408 => ProviderErrorKind.Timeout,
        429 => ProviderErrorKind.RateLimited,
        503 or 529 => ProviderErrorKind.Overloaded,
        504 => ProviderErrorKind.Timeout,
        >= 500 => ProviderErrorKind.ServerError,
        _ => ProviderErrorKind.Unknown,
    };
}
