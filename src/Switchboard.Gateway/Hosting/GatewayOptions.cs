using System.ComponentModel.DataAnnotations;

namespace Switchboard.Gateway.Hosting;

/// <summary><c>Switchboard:Gateway</c>: the HTTP edge.</summary>
public sealed class GatewayOptions : IValidatableObject
{
    /// <summary>Largest request body accepted, in bytes (413 above it).</summary>
    [Range(1024, 1L << 31)]
    public long MaxRequestBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long a shutdown waits for requests and streams in flight.</summary>
    [Range(0, 3600)]
    public double DrainTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Web origins (<c>https://app.example.com</c>) whose pages may call the gateway from the browser, or <c>*</c> for any.
    /// Empty (the default): no CORS headers, so browsers refuse cross-origin calls. Keys still decide who may call.
    /// </summary>
    public List<string> CorsOrigins { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in CorsOrigins)
        {
            if (origin != "*" && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" &&
                uri.AbsolutePath == "/" && !origin.EndsWith('/') && string.IsNullOrEmpty(uri.Query)))
            {
                yield return new ValidationResult(
                    $"Switchboard:Gateway:CorsOrigins: '{origin}' is not an origin: write scheme://host[:port] (no path, no trailing slash) or *.",
                    [nameof(CorsOrigins)]);
            }
        }
    }
}

/// <summary><c>Switchboard:Auth</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>The admin key; also accepted on every endpoint. Required unless the gateway binds only to loopback.</summary>
    public string? MasterKey { get; set; }
}

/// <summary><c>Switchboard:Ledger</c>: where keys (and, later, usage) are stored.</summary>
public sealed class StoreOptions
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Connection string; for SQLite defaults to <c>switchboard.db</c> beside the configuration file.</summary>
    public string? ConnectionString { get; set; }
}
