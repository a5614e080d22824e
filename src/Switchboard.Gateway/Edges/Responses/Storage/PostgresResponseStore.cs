using Npgsql;

namespace Switchboard.Gateway.Edges.Responses.Storage;

/// <summary>
/// Stored responses in the ledger's PostgreSQL database (same connection string), table <c>stored_responses</c>, created
/// on first use by its own idempotent migration under an advisory lock (replicas starting together create it once).
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
        """;

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
            await using var purge = _source.CreateCommand(
                $"DELETE FROM stored_responses WHERE id IN (SELECT id FROM stored_responses WHERE expires_at <= @now LIMIT {ExpiredRowPurge.BatchSize})");
            purge.Parameters.AddWithValue("now", _time.GetUtcNow());
            await purge.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = _source.CreateCommand($"""
            INSERT INTO stored_responses ({Columns}, size_bytes)
            VALUES (@id, @owner, @created, @expires, @model, @status, @input, @output, @response, @items, @size)
            ON CONFLICT (id) DO NOTHING
            """);
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
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
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
        await using var command = _source.CreateCommand("DELETE FROM stored_responses WHERE id = @id AND owner = @owner AND expires_at > @now");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("now", _time.GetUtcNow());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
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
