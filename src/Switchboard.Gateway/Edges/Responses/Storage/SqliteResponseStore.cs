using Microsoft.Data.Sqlite;

namespace Switchboard.Gateway.Edges.Responses.Storage;

/// <summary>
/// Stored responses in the gateway's SQLite file (the ledger's and the keys' database), tables <c>stored_responses</c> and
/// <c>stored_response_items</c> (the items <c>item_reference</c> can name, by owner and item id), created at start-up by
/// their own idempotent migration. Times are Unix milliseconds.
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
        // item_reference's index: one row per item a response holds (the same client item id may recur across responses).
        """
        CREATE TABLE IF NOT EXISTS stored_response_items (
            owner TEXT NOT NULL,
            item_id TEXT NOT NULL,
            response_id TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            item TEXT NOT NULL,
            PRIMARY KEY (owner, item_id, response_id)
        );
        """,
        "CREATE INDEX IF NOT EXISTS stored_response_items_response ON stored_response_items (response_id);",
        "CREATE INDEX IF NOT EXISTS stored_response_items_expires_at ON stored_response_items (expires_at);",
    ];

    /// <summary>The tables whose expired rows a purge deletes.</summary>
    private static readonly string[] PurgedTables = ["stored_responses", "stored_response_items"];

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
            foreach (var table in PurgedTables)
            {
                await using var purge = connection.CreateCommand();
                purge.CommandText = $"DELETE FROM {table} WHERE rowid IN (SELECT rowid FROM {table} WHERE expires_at <= $now LIMIT {ExpiredRowPurge.BatchSize})";
                purge.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
                await purge.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
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
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return false;
        }

        // One statement, prepared once, run per item inside the response's transaction.
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO stored_response_items (owner, item_id, response_id, expires_at, item)
            VALUES ($owner, $item_id, $response_id, $expires, $item)
            ON CONFLICT DO NOTHING
            """;
        insert.Parameters.AddWithValue("$owner", response.Owner);
        insert.Parameters.AddWithValue("$response_id", response.Id);
        insert.Parameters.AddWithValue("$expires", response.ExpiresAt.ToUnixTimeMilliseconds());
        var itemId = insert.Parameters.Add("$item_id", SqliteType.Text);
        var itemJson = insert.Parameters.Add("$item", SqliteType.Text);
        foreach (var item in response.Items)
        {
            itemId.Value = item.Id;
            itemJson.Value = item.Json;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
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
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM stored_responses WHERE id = $id AND owner = $owner AND expires_at > $now";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }

        await using var items = connection.CreateCommand();
        items.CommandText = "DELETE FROM stored_response_items WHERE response_id = $id AND owner = $owner";
        items.Parameters.AddWithValue("$id", id);
        items.Parameters.AddWithValue("$owner", owner);
        await items.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<string?> GetItemAsync(string itemId, string owner, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT item FROM stored_response_items WHERE owner = $owner AND item_id = $item_id AND expires_at > $now
            ORDER BY expires_at DESC LIMIT 1
            """;
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$item_id", itemId);
        command.Parameters.AddWithValue("$now", _time.GetUtcNow().ToUnixTimeMilliseconds());
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
