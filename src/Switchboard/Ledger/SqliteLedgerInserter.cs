using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Switchboard.Ledger;

/// <summary>
/// The SQLite ledger's write path: one long-lived connection with <c>synchronous=NORMAL</c> (the journal gives the durability
/// promise; a committed WAL transaction still survives a crash of the process) and one prepared insert whose parameters are
/// created once and set by position. A failure closes the connection; the next batch opens a fresh one.
/// </summary>
internal sealed class SqliteLedgerInserter(string connectionString) : IDisposable
{
    private const string Insert = "INSERT INTO ledger_attempts (request_id, attempt_number, ts_ms, key_id, route, task, provider, model, " +
        "deployment, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, cost_usd, latency_ms, ttft_ms, streamed, " +
        "cache_hit, cost_saved_usd, outcome, error_kind, status_code) VALUES " +
        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22) " +
        "ON CONFLICT (request_id, attempt_number) DO NOTHING";

    private const int Columns = 22;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private SqliteConnection? _connection;
    private SqliteCommand? _insert;

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
                insert.Transaction = tx;
                var p = insert.Parameters;
                foreach (var r in batch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    p[0].Value = r.RequestId;
                    p[1].Value = r.AttemptNumber;
                    p[2].Value = r.Timestamp.ToUnixTimeMilliseconds();
                    p[3].Value = (object?)r.KeyId ?? DBNull.Value;
                    p[4].Value = (object?)r.Route ?? DBNull.Value;
                    p[5].Value = (object?)r.Task ?? DBNull.Value;
                    p[6].Value = r.Provider;
                    p[7].Value = r.Model;
                    p[8].Value = r.Deployment;
                    p[9].Value = (object?)r.InputTokens ?? DBNull.Value;
                    p[10].Value = (object?)r.OutputTokens ?? DBNull.Value;
                    p[11].Value = (object?)r.CachedInputTokens ?? DBNull.Value;
                    p[12].Value = (object?)r.ReasoningTokens ?? DBNull.Value;
                    p[13].Value = (object?)Money(r.CostUsd) ?? DBNull.Value;
                    p[14].Value = r.Latency.TotalMilliseconds;
                    p[15].Value = (object?)r.TimeToFirstToken?.TotalMilliseconds ?? DBNull.Value;
                    p[16].Value = r.Streamed ? 1 : 0;
                    p[17].Value = r.CacheHit ? 1 : 0;
                    p[18].Value = (object?)Money(r.CostSavedUsd) ?? DBNull.Value;
                    p[19].Value = r.Outcome;
                    p[20].Value = (object?)r.ErrorKind ?? DBNull.Value;
                    p[21].Value = (object?)r.StatusCode ?? DBNull.Value;
                    insert.ExecuteNonQuery();
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

    public void Dispose()
    {
        Close();
        _lock.Dispose();
    }

    private (SqliteConnection, SqliteCommand) Open()
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

        var insert = connection.CreateCommand();
        insert.CommandText = Insert;
        for (var i = 1; i <= Columns; i++)
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = "?" + i.ToString(CultureInfo.InvariantCulture) });
        }

        insert.Prepare();
        (_connection, _insert) = (connection, insert);
        return (connection, insert);
    }

    private void Close()
    {
        _insert?.Dispose();
        _connection?.Dispose();
        (_connection, _insert) = (null, null);
    }

    private static string? Money(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);
}
