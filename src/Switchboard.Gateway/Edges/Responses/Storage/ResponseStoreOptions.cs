using System.ComponentModel.DataAnnotations;

namespace Switchboard.Gateway.Edges.Responses.Storage;

/// <summary><c>Switchboard:Responses</c>: stored Responses API responses (<c>store</c>, <c>previous_response_id</c>, <c>GET /v1/responses/{id}</c>).</summary>
public sealed class ResponseStoreOptions
{
    /// <summary>Whether responses asked to be stored (<c>store</c>, true unless the client sends false) are kept; when off, nothing is stored and <c>previous_response_id</c> is refused.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a stored response can be read or chained from, in days; expired rows are purged lazily.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;

    /// <summary>The largest stored response (its input items, the earlier turns included, and its output), in bytes; a larger one is answered but not stored.</summary>
    [Range(1024, 1L << 31)]
    public long MaxStoredBytes { get; set; } = 16 * 1024 * 1024;
}
