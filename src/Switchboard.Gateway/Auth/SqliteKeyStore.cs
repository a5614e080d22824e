using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Switchboard.Gateway.Auth;

/// <summary>
/// Virtual keys in SQLite (WAL mode), schema created by versioned migrations at start-up. Lookups by key hash are
/// cached briefly (<see cref="KeyLookupCache"/>).
/// </summary>
internal sealed class SqliteKeyStore : IKeyStore
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly KeyLookupCache _cache;

    public SqliteKeyStore(string connectionString, TimeProvider time)
    {
        _connectionString = connectionString;
        _time = time;
        _cache = new KeyLookupCache(time);
        SqliteMigrations.Apply(connectionString);
    }

    public async Task<CreatedKey> CreateAsync(CreateKeyRequest request, CancellationToken cancellationToken)
    {
        var key = KeyHasher.NewKey();
        var info = KeyLookupCache.NewRecord(request, key, _time.GetUtcNow());
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

    public ValueTask<VirtualKey?> FindAsync(string presentedKey, CancellationToken cancellationToken) =>
        _cache.FindAsync(presentedKey, LoadAsync, cancellationToken);

    private async Task<VirtualKey?> LoadAsync(string hash, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, prefix, models, expires_at, rpm, tpm, created_at, revoked_at FROM virtual_keys WHERE key_hash = $hash";
        command.Parameters.AddWithValue("$hash", hash);
        var rows = await ReadAsync(command, cancellationToken);
        return rows.Count > 0 ? rows[0] : null;
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
