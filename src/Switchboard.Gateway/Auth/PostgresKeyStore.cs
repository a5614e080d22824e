using System.Text.Json;
using Npgsql;
using Switchboard.PostgreSql;

namespace Switchboard.Gateway.Auth;

/// <summary>
/// Virtual keys in the ledger's PostgreSQL database (table <c>virtual_keys</c>, created by the ledger's migrations), so
/// every gateway replica sees the same keys. Lookups by key hash are cached briefly (<see cref="KeyLookupCache"/>).
/// </summary>
internal sealed class PostgresKeyStore(IPostgresDatabase ledger, TimeProvider time) : IKeyStore
{
    private const string Columns = "id, name, prefix, models, expires_at, rpm, tpm, created_at, revoked_at";
    private readonly KeyLookupCache _cache = new(time);

    public async Task<CreatedKey> CreateAsync(CreateKeyRequest request, CancellationToken cancellationToken)
    {
        var key = KeyHasher.NewKey();
        var info = KeyLookupCache.NewRecord(request, key, time.GetUtcNow());
        await using var command = await CommandAsync("""
            INSERT INTO virtual_keys (id, name, key_hash, prefix, models, expires_at, rpm, tpm, created_at)
            VALUES (@id, @name, @hash, @prefix, @models, @expires, @rpm, @tpm, @created)
            """, cancellationToken);
        command.Parameters.AddWithValue("id", info.Id);
        command.Parameters.AddWithValue("name", (object?)info.Name ?? DBNull.Value);
        command.Parameters.AddWithValue("hash", KeyHasher.HashHex(key));
        command.Parameters.AddWithValue("prefix", info.Prefix);
        command.Parameters.AddWithValue("models", JsonSerializer.Serialize(info.Models, GatewayJsonContext.Default.IReadOnlyListString));
        command.Parameters.AddWithValue("expires", (object?)info.ExpiresAt ?? DBNull.Value);
        command.Parameters.AddWithValue("rpm", (object?)info.Rpm ?? DBNull.Value);
        command.Parameters.AddWithValue("tpm", (object?)info.Tpm ?? DBNull.Value);
        command.Parameters.AddWithValue("created", info.CreatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new CreatedKey(key, info);
    }

    public async Task<IReadOnlyList<VirtualKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync($"SELECT {Columns} FROM virtual_keys ORDER BY created_at", cancellationToken);
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<bool> RevokeAsync(string idOrKey, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            "UPDATE virtual_keys SET revoked_at = @now WHERE (id = @id OR key_hash = @hash) AND revoked_at IS NULL", cancellationToken);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        command.Parameters.AddWithValue("id", idOrKey);
        command.Parameters.AddWithValue("hash", KeyHasher.HashHex(idOrKey));
        var changed = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        _cache.Clear();
        return changed;
    }

    public ValueTask<VirtualKey?> FindAsync(string presentedKey, CancellationToken cancellationToken) =>
        _cache.FindAsync(presentedKey, LoadAsync, cancellationToken);

    private async Task<VirtualKey?> LoadAsync(string hash, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync($"SELECT {Columns} FROM virtual_keys WHERE key_hash = @hash", cancellationToken);
        command.Parameters.AddWithValue("hash", hash);
        var rows = await ReadAsync(command, cancellationToken);
        return rows.Count > 0 ? rows[0] : null;
    }

    private async Task<NpgsqlCommand> CommandAsync(string sql, CancellationToken cancellationToken)
    {
        await ledger.InitializeAsync(cancellationToken); // the table comes with the ledger's migrations
        return ledger.DataSource.CreateCommand(sql);
    }

    private static async Task<IReadOnlyList<VirtualKey>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
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
                ExpiresAt = reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                Rpm = reader.IsDBNull(5) ? null : reader.GetInt32(5),
                Tpm = reader.IsDBNull(6) ? null : reader.GetInt32(6),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(7),
                RevokedAt = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
            });
        }

        return keys;
    }
}
