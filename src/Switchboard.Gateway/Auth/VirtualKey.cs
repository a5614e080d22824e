namespace Switchboard.Gateway.Auth;

/// <summary>A virtual key as stored: never the key itself, only its SHA-256 hash and a short prefix to recognise it by.</summary>
public sealed record VirtualKey
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    /// <summary>The first characters of the key (<c>sb-AbCd</c>), enough to recognise it in a list, not to use it.</summary>
    public required string Prefix { get; init; }
    /// <summary>Routes or models this key may use; empty means all.</summary>
    public IReadOnlyList<string> Models { get; init; } = [];
    public DateTimeOffset? ExpiresAt { get; init; }
    public int? Rpm { get; init; }
    public int? Tpm { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    public bool Allows(string? model) =>
        Models.Count == 0 || (model is not null && Models.Contains(model, StringComparer.OrdinalIgnoreCase));
}

/// <summary>What <c>POST /admin/keys</c> accepts.</summary>
public sealed record CreateKeyRequest(string? Name, IReadOnlyList<string>? Models, DateTimeOffset? ExpiresAt, int? Rpm, int? Tpm);

/// <summary>What <c>POST /admin/keys</c> answers: the key itself, shown this once.</summary>
public sealed record CreatedKey(string Key, VirtualKey Info);
