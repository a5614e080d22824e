using System.Collections.Concurrent;

namespace Switchboard.Gateway.Auth;

/// <summary>
/// Key lookups by hash, remembered briefly so a request does not cost a database round trip. A revoke on this replica
/// clears it at once; a revoke on another replica takes effect here within <see cref="CacheFor"/>. Bounded: at most
/// <see cref="MaxEntries"/> keys, and unknown keys (random guesses) are remembered only <see cref="UnknownFor"/> in a
/// separate, smaller set, so a flood of random keys can neither grow memory nor evict the real keys.
/// </summary>
internal sealed class KeyLookupCache(TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan UnknownFor = TimeSpan.FromSeconds(2);
    public const int MaxEntries = 10_000;
    public const int MaxUnknownEntries = 1_000;
    private readonly ConcurrentDictionary<string, (VirtualKey? Key, long At)> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _unknown = new(StringComparer.Ordinal);

    /// <summary>How many lookups are remembered (known and unknown keys).</summary>
    public int Count => _entries.Count + _unknown.Count;

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

        if (_unknown.TryGetValue(hash, out var missedAt) && time.GetElapsedTime(missedAt) < UnknownFor)
        {
            return null;
        }

        var found = await load(hash, cancellationToken);
        if (found is null)
        {
            Remember(_unknown, hash, time.GetTimestamp(), MaxUnknownEntries, UnknownFor, at => at);
        }
        else
        {
            _unknown.TryRemove(hash, out _);
            Remember<(VirtualKey? Key, long At)>(_entries, hash, (found, time.GetTimestamp()), MaxEntries, CacheFor, e => e.At);
        }

        return found;
    }

    public void Clear()
    {
        _entries.Clear();
        _unknown.Clear();
    }

    /// <summary>Adds an entry; when full, drops the expired entries first and, if still full, everything (a rare, cheap reset).</summary>
    private void Remember<T>(ConcurrentDictionary<string, T> map, string hash, T value, int max, TimeSpan ttl, Func<T, long> at)
    {
        if (map.Count >= max && !map.ContainsKey(hash))
        {
            foreach (var (k, v) in map)
            {
                if (time.GetElapsedTime(at(v)) >= ttl)
                {
                    map.TryRemove(k, out _);
                }
            }

            if (map.Count >= max)
            {
                map.Clear();
            }
        }

        map[hash] = value;
    }

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
