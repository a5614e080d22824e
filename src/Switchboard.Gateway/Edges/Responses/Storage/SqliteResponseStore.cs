using Microsoft.Data.Sqlite;

namespace Switchboard.Gateway.Edges.Responses.Storage;

/// <summary>
/// Stored responses in the gateway's SQLite file (the ledger's and the keys' database), table <c>stored_responses</c>,
/// created at start-up by its own idempotent migration. Times are Unix milliseconds.
/// </summary>
internal sealed class SqliteResponseStore : IResponseStore
{
    private const string Columns = "id, owner, created_at, expires_at, model, status, input_tokens, output_tokens, response, input_items";

    private static readonly string[] Migration =
    [
        "PRAGMA journal_mode=WAL;",
        """
        CREATE TABLE IF NOT EXISTS stored_responses (
            id TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            model TEXT,
            status TEXT NOT NULL,
            input_tokens INTEGER,
            output_tokens INTEGER,
            size_bytes INTEGER NOT NULL,
            response TEXT NOT NULL,
            input_items TEXT NOT NULL
        );
        """,
        "CREATE INDEX IF NOT EXISTS stored_responses_expires_at ON stored_responses (expires_at);",
    ];

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly ExpiredRowPurge _purge;

    public SqliteResponseStore(string connectionString, TimeProvider time)
    {
        _connectionString = connectionString;
        _time = time;
        _purge = new ExpiredRowPurge(time);
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        foreach (var sql in Migration)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    public async Task<bool> SaveAsync(StoredResponse response, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (_purge.Due())
        {
            await using var purge = connection.CreateCommand();
            purge.CommandText = $"DELETE FROM stored_responses WHERE id IN (SELECT id FROM stored_responses WHERE expires_at <= $now LIMIT {ExpiredRowPurge.BatchSize})";
            purge.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
            await purge.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO stored_responses ({Columns}, size_bytes)
            VALUES ($id, $owner, $created, $expires, $model, $status, $input, $output, $response, $items, $size)
            ON CONFLICT (id) DO NOTHING
            """;
        command.Parameters.AddWithValue("$id", response.Id);
        command.Parameters.AddWithValue("$owner", response.Owner);
        command.Parameters.AddWithValue("$created", response.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", response.ExpiresAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$model", (object?)response.Model ?? DBNull.Value);
        command.Parameters.AddWithValue("$status", response.Status);
        command.Parameters.AddWithValue("$input", (object?)response.InputTokens ?? DBNull.Value);
        command.Parameters.AddWithValue("$output", (object?)response.OutputTokens ?? DBNull.Value);
        command.Parameters.AddWithValue("$response", response.ResponseJson);
        command.Parameters.AddWithValue("$items", response.InputItemsJson);
        command.Parameters.AddWithValue("$size", response.Size);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<StoredResponse?> GetAsync(string id, string owner, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM stored_responses WHERE id = $id AND owner = $owner AND expires_at > $now";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredResponse(
            reader.GetString(0), reader.GetString(1),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
            reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetInt64(7),
            reader.GetString(8), reader.GetString(9));
    }

    public async Task<bool> DeleteAsync(string id, string owner, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM stored_responses WHERE id = $id AND owner = $owner AND expires_at > $now";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
