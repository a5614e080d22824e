using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Switchboard.Gateway.Auth;

/// <summary>
/// Virtual keys in SQLite (WAL mode), schema created by versioned migrations at start-up. Lookups by key hash are
/// cached briefly; a revoke on this replica takes effect at once.
/// </summary>
internal sealed class SqliteKeyStore : IKeyStore
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (VirtualKey? Key, long At)> _cache = new(StringComparer.Ordinal);

    public SqliteKeyStore(string connectionString, TimeProvider time)
    {
        _connectionString = connectionString;
        _time = time;
        SqliteMigrations.Apply(connectionString);
    }

    public async Task<CreatedKey> CreateAsync(CreateKeyRequest request, CancellationToken cancellationToken)
    {
        var key = KeyHasher.NewKey();
        var info = new VirtualKey
        {
            Id = "key_" + Guid.NewGuid().ToString("N")[..16],
            Name = request.Name,
            Prefix = key[..7],
            Models = request.Models ?? [],
            ExpiresAt = request.ExpiresAt,
            Rpm = request.Rpm,
            Tpm = request.Tpm,
            CreatedAt = _time.GetUtcNow(),
        };
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO virtual_keys (id, name, key_hash, prefix, models, expires_at, rpm, tpm, created_at)
            VALUES ($id, $name, $hash, $prefix, $models, $expires, $rpm, $tpm, $created)
            """;
        command.Parameters.AddWithValue("$id", info.Id);
        command.Parameters.AddWithValue("$name", (object?)info.Name ?? DBNull.Value);
        command.Parameters.AddWithValue("$hash", KeyHasher.HashHex(key));
        command.Parameters.AddWithValue("$prefix", info.Prefix);
        command.Parameters.AddWithValue("$models", JsonSerializer.Serialize(info.Models, GatewayJsonContext.Default.IReadOnlyListString));
        command.Parameters.AddWithValue("$expires", (object?)info.ExpiresAt?.ToString("O") ?? DBNull.Value);
        command.Parameters.AddWithValue("$rpm", (object?)info.Rpm ?? DBNull.Value);
        command.Parameters.AddWithValue("$tpm", (object?)info.Tpm ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", info.CreatedAt.ToString("O"));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new CreatedKey(key, info);
    }

    public async Task<IReadOnlyList<VirtualKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, prefix, models, expires_at, rpm, tpm, created_at, revoked_at FROM virtual_keys ORDER BY created_at";
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<bool> RevokeAsync(string idOrKey, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE virtual_keys SET revoked_at = $now WHERE (id = $id OR key_hash = $hash) AND revoked_at IS NULL";
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToString("O"));
        command.Parameters.AddWithValue("$id", idOrKey);
        command.Parameters.AddWithValue("$hash", KeyHasher.HashHex(idOrKey));
        var changed = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        _cache.Clear();
        return changed;
    }

    public async ValueTask<VirtualKey?> FindAsync(string presentedKey, CancellationToken cancellationToken)
    {
        var hash = KeyHasher.HashHex(presentedKey);
        if (_cache.TryGetValue(hash, out var cached) && _time.GetElapsedTime(cached.At) < CacheFor)
        {
            return cached.Key;
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // The lookup is by hash: an attacker learns nothing from timing about the key's characters.
        command.CommandText = "SELECT id, name, prefix, models, expires_at, rpm, tpm, created_at, revoked_at FROM virtual_keys WHERE key_hash = $hash";
        command.Parameters.AddWithValue("$hash", hash);
        var rows = await ReadAsync(command, cancellationToken);
        var found = rows.Count > 0 ? rows[0] : null;
        _cache[hash] = (found, _time.GetTimestamp());
        return found;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task<IReadOnlyList<VirtualKey>> ReadAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var keys = new List<VirtualKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(new VirtualKey
            {
                Id = reader.GetString(0),
                Name = reader.IsDBNull(1) ? null : reader.GetString(1),
                Prefix = reader.GetString(2),
                Models = JsonSerializer.Deserialize(reader.GetString(3), GatewayJsonContext.Default.IReadOnlyListString) ?? [],
                ExpiresAt = reader.IsDBNull(4) ? null : DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture),
                Rpm = reader.IsDBNull(5) ? null : reader.GetInt32(5),
                Tpm = reader.IsDBNull(6) ? null : reader.GetInt32(6),
                CreatedAt = DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture),
                RevokedAt = reader.IsDBNull(8) ? null : DateTimeOffset.Parse(reader.GetString(8), CultureInfo.InvariantCulture),
            });
        }

        return keys;
    }
}
