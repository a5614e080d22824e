using System.Collections.Concurrent;

namespace Switchboard.Gateway.Auth;

/// <summary>
/// Key lookups by hash, remembered briefly so a request does not cost a database round trip. A revoke on this replica
/// clears it at once; a revoke on another replica takes effect here within <see cref="CacheFor"/>.
/// </summary>
internal sealed class KeyLookupCache(TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (VirtualKey? Key, long At)> _entries = new(StringComparer.Ordinal);

    /// <summary>The key a presented key's hash belongs to (null: unknown), from memory when looked up recently, else from
    /// <paramref name="load"/> (the lookup is by hash, so timing says nothing about the key's characters).</summary>
    public async ValueTask<VirtualKey?> FindAsync(string presentedKey, Func<string, CancellationToken, Task<VirtualKey?>> load,
        CancellationToken cancellationToken)
    {
        var hash = KeyHasher.HashHex(presentedKey);
        if (_entries.TryGetValue(hash, out var cached) && time.GetElapsedTime(cached.At) < CacheFor)
        {
            return cached.Key;
        }

        var found = await load(hash, cancellationToken);
        _entries[hash] = (found, time.GetTimestamp());
        return found;
    }

    public void Clear() => _entries.Clear();

    /// <summary>A new key record with a fresh id, from a create request.</summary>
    public static VirtualKey NewRecord(CreateKeyRequest request, string key, DateTimeOffset now) => new()
    {
        Id = "key_" + Guid.NewGuid().ToString("N")[..16],
        Name = request.Name,
        Prefix = key[..7],
        Models = request.Models ?? [],
        ExpiresAt = request.ExpiresAt,
        Rpm = request.Rpm,
        Tpm = request.Tpm,
        CreatedAt = now,
    };
}
