using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Switchboard.Ledger;

/// <summary>
/// The SQLite ledger's write path: one long-lived connection with <c>synchronous=NORMAL</c> (the journal gives the durability
/// promise; a committed WAL transaction still survives a crash of the process) and one prepared insert, bound through SQLite's own API
/// (no boxing, no per-parameter objects). A failure closes the connection; the next batch opens a fresh one.
/// </summary>
internal sealed class SqliteLedgerInserter(string connectionString) : IDisposable
{
    private const string Insert = "INSERT INTO ledger_attempts (request_id, attempt_number, ts_ms, key_id, route, task, provider, model, " +
        "deployment, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, cost_usd, latency_ms, ttft_ms, streamed, " +
        "cache_hit, cost_saved_usd, outcome, error_kind, status_code) VALUES " +
        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22) " +
        "ON CONFLICT (request_id, attempt_number) DO NOTHING";

    private readonly SemaphoreSlim _lock = new(1, 1);
    private SqliteConnection? _connection;
    private sqlite3_stmt? _insert;
    private byte[] _utf8 = new byte[256];

    /// <summary>Inserts the batch in one transaction on the writer's connection.</summary>
    public async Task AppendAsync(IReadOnlyList<LedgerRecord> batch, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var (connection, insert) = Open();
            try
            {
                using var tx = connection.BeginTransaction(deferred: false);
                foreach (var r in batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Bind(insert, r);
                    Check(connection, raw.sqlite3_step(insert), raw.SQLITE_DONE);
                    raw.sqlite3_reset(insert);
                }

                tx.Commit();
            }
            catch
            {
                Close(); // a broken or busy connection is not reused
                throw;
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    // The statement is bound through SQLite's own API: Microsoft.Data.Sqlite's parameters box every value and
    // allocate a binder per parameter per row, a fifth of what a request allocated.
    private void Bind(sqlite3_stmt insert, LedgerRecord r)
    {
        Text(insert, 1, r.RequestId);
        raw.sqlite3_bind_int64(insert, 2, r.AttemptNumber);
        raw.sqlite3_bind_int64(insert, 3, r.Timestamp.ToUnixTimeMilliseconds());
        Text(insert, 4, r.KeyId);
        Text(insert, 5, r.Route);
        Text(insert, 6, r.Task);
        Text(insert, 7, r.Provider);
        Text(insert, 8, r.Model);
        Text(insert, 9, r.Deployment);
        Integer(insert, 10, r.InputTokens);
        Integer(insert, 11, r.OutputTokens);
        Integer(insert, 12, r.CachedInputTokens);
        Integer(insert, 13, r.ReasoningTokens);
        Money(insert, 14, r.CostUsd);
        raw.sqlite3_bind_double(insert, 15, r.Latency.TotalMilliseconds);
        if (r.TimeToFirstToken is { } ttft)
        {
            raw.sqlite3_bind_double(insert, 16, ttft.TotalMilliseconds);
        }
        else
        {
            raw.sqlite3_bind_null(insert, 16);
        }

        raw.sqlite3_bind_int(insert, 17, r.Streamed ? 1 : 0);
        raw.sqlite3_bind_int(insert, 18, r.CacheHit ? 1 : 0);
        Money(insert, 19, r.CostSavedUsd);
        Text(insert, 20, r.Outcome);
        Text(insert, 21, r.ErrorKind);
        Integer(insert, 22, r.StatusCode);
    }

    private void Text(sqlite3_stmt insert, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(insert, index);
            return;
        }

        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_utf8.Length < max)
        {
            _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(value, _utf8);
        raw.sqlite3_bind_text(insert, index, _utf8.AsSpan(0, length)); // SQLite copies it (SQLITE_TRANSIENT)
    }

    private static void Integer(sqlite3_stmt insert, int index, long? value)
    {
        if (value is { } v)
        {
            raw.sqlite3_bind_int64(insert, index, v);
        }
        else
        {
            raw.sqlite3_bind_null(insert, index);
        }
    }

    // Money is stored as its exact decimal text, as the readers parse it.
    private void Money(sqlite3_stmt insert, int index, decimal? value)
    {
        if (value is not { } v)
        {
            raw.sqlite3_bind_null(insert, index);
            return;
        }

        Span<byte> text = stackalloc byte[64];
        if (!v.TryFormat(text, out var length, provider: CultureInfo.InvariantCulture))
        {
            Text(insert, index, v.ToString(CultureInfo.InvariantCulture));
            return;
        }

        raw.sqlite3_bind_text(insert, index, text[..length]);
    }

    private static void Check(SqliteConnection connection, int rc, int expected)
    {
        if (rc != expected)
        {
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        }
    }

    public void Dispose()
    {
        Close();
        _lock.Dispose();
    }

    private (SqliteConnection, sqlite3_stmt) Open()
    {
        if (_connection is not null && _insert is not null)
        {
            return (_connection, _insert);
        }

        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=NORMAL;";
            pragma.ExecuteNonQuery();
        }

        var rc = raw.sqlite3_prepare_v2(connection.Handle, Insert, out var insert);
        if (rc != raw.SQLITE_OK || insert is null)
        {
            var error = new SqliteException($"The ledger insert could not be prepared: {raw.sqlite3_errmsg(connection.Handle).utf8_to_string()}", rc);
            insert?.Dispose();
            connection.Dispose();
            throw error;
        }

        (_connection, _insert) = (connection, insert);
        return (connection, insert);
    }

    private void Close()
    {
        _insert?.Dispose(); // finalised before its connection closes
        _connection?.Dispose();
        (_connection, _insert) = (null, null);
    }
}
