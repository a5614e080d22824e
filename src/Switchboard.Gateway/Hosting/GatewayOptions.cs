using System.ComponentModel.DataAnnotations;

namespace Switchboard.Gateway.Hosting;

/// <summary><c>Switchboard:Gateway</c>: the HTTP edge.</summary>
public sealed class GatewayOptions
{
    /// <summary>Largest request body accepted, in bytes (413 above it).</summary>
    [Range(1024, 1L << 31)]
    public long MaxRequestBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long a shutdown waits for requests and streams in flight.</summary>
    [Range(0, 3600)]
    public double DrainTimeoutSeconds { get; set; } = 30;
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
