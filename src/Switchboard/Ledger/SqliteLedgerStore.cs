using System.Globalization;
using Microsoft.Data.Sqlite;
using Switchboard.Budgets;

namespace Switchboard.Ledger;

/// <summary>The embedded ledger: a SQLite file in WAL mode. Sums and percentiles are computed in C# over the filtered rows.</summary>
public sealed class SqliteLedgerStore : ILedgerStore, IBudgetAlertStore, IRecentLedgerReader, IDisposable
{
    private const string Columns = "request_id, attempt_number, ts_ms, key_id, route, task, provider, model, deployment, input_tokens, " +
        "output_tokens, cached_input_tokens, reasoning_tokens, cost_usd, latency_ms, ttft_ms, streamed, cache_hit, cost_saved_usd, " +
        "outcome, error_kind, status_code";

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private readonly SqliteLedgerInserter _inserter;
    private volatile bool _initialized;

    public SqliteLedgerStore(string connectionString, TimeProvider time)
    {
        _connectionString = connectionString;
        _time = time;
        _inserter = new SqliteLedgerInserter(connectionString);
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initLock.WaitAsync(cancellationToken);
        try
        {
            if (_initialized)
            {
                return;
            }

            await using var connection = await OpenAsync(cancellationToken);
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);
            await ExecuteAsync(connection, null,
                "CREATE TABLE IF NOT EXISTS ledger_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);", cancellationToken);
            // BEGIN IMMEDIATE takes the write lock first, so two processes starting together apply each version once.
            using var tx = connection.BeginTransaction(deferred: false);
            var applied = new HashSet<long>();
            await using (var cmd = new SqliteCommand("SELECT version FROM ledger_migrations", connection, tx))
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetInt64(0));
                }
            }

            foreach (var (version, sql) in SqliteLedgerMigrations.All)
            {
                if (applied.Contains(version))
                {
                    continue;
                }

                await ExecuteAsync(connection, tx, sql, cancellationToken);
                await using var mark = new SqliteCommand("INSERT INTO ledger_migrations (version, applied_at) VALUES ($v, $t)", connection, tx);
                mark.Parameters.AddWithValue("$v", version);
                mark.Parameters.AddWithValue("$t", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
                await mark.ExecuteNonQueryAsync(cancellationToken);
            }

            await tx.CommitAsync(cancellationToken);
            _initialized = true;
        }
        finally
        {
            _initLock.Release();
        }
    }

    public async Task AppendAsync(IReadOnlyList<LedgerRecord> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        await InitializeAsync(cancellationToken);
        await _inserter.AppendAsync(batch, cancellationToken);
    }

    public async Task<UsageReport> QueryAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var cmd = new SqliteCommand($"SELECT {Columns} FROM ledger_attempts WHERE ts_ms >= $since AND ts_ms < $until" +
            (query.KeyId is null ? "" : " AND key_id = $key"), connection);
        cmd.Parameters.AddWithValue("$since", query.Since?.ToUnixTimeMilliseconds() ?? long.MinValue);
        cmd.Parameters.AddWithValue("$until", query.Until?.ToUnixTimeMilliseconds() ?? long.MaxValue);
        if (query.KeyId is { } key)
        {
            cmd.Parameters.AddWithValue("$key", key);
        }

        var aggregator = new UsageAggregator(query);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            aggregator.Add(Read(reader));
        }

        return aggregator.Build();
    }

    public async Task<IReadOnlyList<LedgerRecord>> RecentAsync(int requests, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        // The newest rows (by the timestamp index) name the requests; the primary key then finds all of their attempts.
        await using var cmd = new SqliteCommand($"SELECT {Columns} FROM ledger_attempts WHERE request_id IN " +
            "(SELECT request_id FROM ledger_attempts ORDER BY ts_ms DESC LIMIT $scan)", connection);
        cmd.Parameters.AddWithValue("$scan", RecentAttempts.ScanRows(requests));
        var rows = new List<LedgerRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
        }

        return RecentAttempts.Order(rows, requests);
    }

    public async Task<decimal> SpentAsync(BudgetScope scope, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await InitializeAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var filter = scope.Kind switch
        {
            BudgetScopeKind.Key => " AND key_id = $target",
            BudgetScopeKind.Route => " AND route = $target",
            BudgetScopeKind.Model => " AND (model = $target OR deployment = $target)",
            _ => "",
        };
        await using var cmd = new SqliteCommand($"SELECT cost_usd FROM ledger_attempts WHERE cost_usd IS NOT NULL AND ts_ms >= $since{filter}", connection);
        cmd.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        if (scope.Kind != BudgetScopeKind.Global)
        {
            cmd.Parameters.AddWithValue("$target", scope.Target ?? "");
        }

        var total = 0m;
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            total += decimal.Parse(reader.GetString(0), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return total;
    }

    public async Task<bool> TryMarkAlertAsync(string budget, DateTimeOffset windowStart, decimal threshold, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var cmd = new SqliteCommand("INSERT INTO budget_alerts (budget_name, window_start_ms, threshold, fired_at_ms) " +
            "VALUES ($b, $w, $t, $f) ON CONFLICT DO NOTHING", connection);
        cmd.Parameters.AddWithValue("$b", budget);
        cmd.Parameters.AddWithValue("$w", windowStart.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$t", threshold.ToString(CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("$f", _time.GetUtcNow().ToUnixTimeMilliseconds());
        return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public void Dispose()
    {
        _inserter.Dispose();
        _initLock.Dispose();
    }

    private static LedgerRecord Read(SqliteDataReader r) => new()
    {
        RequestId = r.GetString(0),
        AttemptNumber = r.GetInt32(1),
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)),
        KeyId = r.IsDBNull(3) ? null : r.GetString(3),
        Route = r.IsDBNull(4) ? null : r.GetString(4),
        Task = r.IsDBNull(5) ? null : r.GetString(5),
        Provider = r.GetString(6),
        Model = r.GetString(7),
        Deployment = r.GetString(8),
        InputTokens = r.IsDBNull(9) ? null : r.GetInt64(9),
        OutputTokens = r.IsDBNull(10) ? null : r.GetInt64(10),
        CachedInputTokens = r.IsDBNull(11) ? null : r.GetInt64(11),
        ReasoningTokens = r.IsDBNull(12) ? null : r.GetInt64(12),
        CostUsd = r.IsDBNull(13) ? null : decimal.Parse(r.GetString(13), NumberStyles.Float, CultureInfo.InvariantCulture),
        Latency = TimeSpan.FromMilliseconds(r.GetDouble(14)),
        TimeToFirstToken = r.IsDBNull(15) ? null : TimeSpan.FromMilliseconds(r.GetDouble(15)),
        Streamed = r.GetInt64(16) != 0,
        CacheHit = r.GetInt64(17) != 0,
        CostSavedUsd = r.IsDBNull(18) ? null : decimal.Parse(r.GetString(18), NumberStyles.Float, CultureInfo.InvariantCulture),
        Outcome = r.GetString(19),
        ErrorKind = r.IsDBNull(20) ? null : r.GetString(20),
        StatusCode = r.IsDBNull(21) ? null : r.GetInt32(21),
    };

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new SqliteCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
