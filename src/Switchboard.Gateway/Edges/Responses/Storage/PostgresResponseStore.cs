using Npgsql;

namespace Switchboard.Gateway.Edges.Responses.Storage;

/// <summary>
/// Stored responses in the ledger's PostgreSQL database (same connection string), tables <c>stored_responses</c> and
/// <c>stored_response_items</c> (the items <c>item_reference</c> can name, by owner and item id), created on first use by
/// their own idempotent migration under an advisory lock (replicas starting together create them once).
/// Every replica reads what any replica stored.
/// </summary>
internal sealed class PostgresResponseStore : IResponseStore, IAsyncDisposable
{
    private const string Columns = "id, owner, created_at, expires_at, model, status, input_tokens, output_tokens, response, input_items";

    /// <summary>Held by the migration (pg_advisory_xact_lock; the key is an arbitrary constant, "sbresp" in ASCII).</summary>
    private const string Migration = """
        SELECT pg_advisory_xact_lock(126866663240560);
        CREATE TABLE IF NOT EXISTS stored_responses (
            id TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL,
            model TEXT,
            status TEXT NOT NULL,
            input_tokens BIGINT,
            output_tokens BIGINT,
            size_bytes BIGINT NOT NULL,
            response TEXT NOT NULL,
            input_items TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS stored_responses_expires_at ON stored_responses (expires_at);
        CREATE TABLE IF NOT EXISTS stored_response_items (
            owner TEXT NOT NULL,
            item_id TEXT NOT NULL,
            response_id TEXT NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL,
            item TEXT NOT NULL,
            PRIMARY KEY (owner, item_id, response_id)
        );
        CREATE INDEX IF NOT EXISTS stored_response_items_response ON stored_response_items (response_id);
        CREATE INDEX IF NOT EXISTS stored_response_items_expires_at ON stored_response_items (expires_at);
        """;

    /// <summary>The tables whose expired rows a purge deletes.</summary>
    private static readonly string[] PurgedTables = ["stored_responses", "stored_response_items"];

    private readonly NpgsqlDataSource _source;
    private readonly TimeProvider _time;
    private readonly ExpiredRowPurge _purge;
    private readonly SemaphoreSlim _migrate = new(1, 1);
    private volatile bool _migrated;

    public PostgresResponseStore(string connectionString, TimeProvider time)
    {
        _source = NpgsqlDataSource.Create(connectionString);
        _time = time;
        _purge = new ExpiredRowPurge(time);
    }

    public async Task<bool> SaveAsync(StoredResponse response, CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        if (_purge.Due())
        {
            foreach (var table in PurgedTables)
            {
                await using var purge = _source.CreateCommand(
                    $"DELETE FROM {table} WHERE ctid IN (SELECT ctid FROM {table} WHERE expires_at <= @now LIMIT {ExpiredRowPurge.BatchSize})");
                purge.Parameters.AddWithValue("now", _time.GetUtcNow());
                await purge.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            INSERT INTO stored_responses ({Columns}, size_bytes)
            VALUES (@id, @owner, @created, @expires, @model, @status, @input, @output, @response, @items, @size)
            ON CONFLICT (id) DO NOTHING
            """, connection, transaction);
        command.Parameters.AddWithValue("id", response.Id);
        command.Parameters.AddWithValue("owner", response.Owner);
        command.Parameters.AddWithValue("created", response.CreatedAt);
        command.Parameters.AddWithValue("expires", response.ExpiresAt);
        command.Parameters.AddWithValue("model", (object?)response.Model ?? DBNull.Value);
        command.Parameters.AddWithValue("status", response.Status);
        command.Parameters.AddWithValue("input", (object?)response.InputTokens ?? DBNull.Value);
        command.Parameters.AddWithValue("output", (object?)response.OutputTokens ?? DBNull.Value);
        command.Parameters.AddWithValue("response", response.ResponseJson);
        command.Parameters.AddWithValue("items", response.InputItemsJson);
        command.Parameters.AddWithValue("size", response.Size);
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return false;
        }

        if (response.Items.Count > 0)
        {
            // One round trip for every item: the arrays are unnested server-side.
            await using var items = new NpgsqlCommand("""
                INSERT INTO stored_response_items (owner, item_id, response_id, expires_at, item)
                SELECT @owner, i.id, @response_id, @expires, i.item FROM unnest(@ids, @items) AS i(id, item)
                ON CONFLICT DO NOTHING
                """, connection, transaction);
            items.Parameters.AddWithValue("owner", response.Owner);
            items.Parameters.AddWithValue("response_id", response.Id);
            items.Parameters.AddWithValue("expires", response.ExpiresAt);
            items.Parameters.AddWithValue("ids", response.Items.Select(i => i.Id).ToArray());
            items.Parameters.AddWithValue("items", response.Items.Select(i => i.Json).ToArray());
            await items.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<string?> GetItemAsync(string itemId, string owner, CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        await using var command = _source.CreateCommand("""
            SELECT item FROM stored_response_items WHERE owner = @owner AND item_id = @item_id AND expires_at > @now
            ORDER BY expires_at DESC LIMIT 1
            """);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("item_id", itemId);
        command.Parameters.AddWithValue("now", _time.GetUtcNow());
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<StoredResponse?> GetAsync(string id, string owner, CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        await using var command = _source.CreateCommand(
            $"SELECT {Columns} FROM stored_responses WHERE id = @id AND owner = @owner AND expires_at > @now");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("now", _time.GetUtcNow());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredResponse(
            reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3),
            reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetInt64(7),
            reader.GetString(8), reader.GetString(9));
    }

    public async Task<bool> DeleteAsync(string id, string owner, CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        await using var command = _source.CreateCommand("""
            WITH deleted AS (DELETE FROM stored_responses WHERE id = @id AND owner = @owner AND expires_at > @now RETURNING id),
                 items AS (DELETE FROM stored_response_items WHERE response_id IN (SELECT id FROM deleted) AND owner = @owner)
            SELECT count(*) FROM deleted
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("now", _time.GetUtcNow());
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
    }

    public ValueTask DisposeAsync()
    {
        _migrate.Dispose();
        return _source.DisposeAsync();
    }

    /// <summary>Creates the table once per process (and retries on the next call if the database was unreachable).</summary>
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (_migrated)
        {
            return;
        }

        await _migrate.WaitAsync(cancellationToken);
        try
        {
            if (_migrated)
            {
                return;
            }

            await using var connection = await _source.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var command = new NpgsqlCommand(Migration, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            _migrated = true;
        }
        finally
        {
            _migrate.Release();
        }
    }
}
