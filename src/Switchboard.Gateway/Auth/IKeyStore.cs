namespace Switchboard.Gateway.Auth;

/// <summary>Where virtual keys live (the ledger's database). Keys are stored hashed.</summary>
public interface IKeyStore
{
    Task<CreatedKey> CreateAsync(CreateKeyRequest request, CancellationToken cancellationToken);

    Task<IReadOnlyList<VirtualKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Revokes a key by id or by its full key text; false when no such key.</summary>
    Task<bool> RevokeAsync(string idOrKey, CancellationToken cancellationToken);

    /// <summary>The key record for a presented key, or null when unknown.</summary>
    ValueTask<VirtualKey?> FindAsync(string presentedKey, CancellationToken cancellationToken);
}
