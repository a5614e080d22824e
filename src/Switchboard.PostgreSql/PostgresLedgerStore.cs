using Npgsql;
using NpgsqlTypes;
using Switchboard.Budgets;

using Switchboard.Ledger;

namespace Switchboard.PostgreSql;

/// <summary>The shared ledger for several gateway replicas: PostgreSQL through one <see cref="NpgsqlDataSource"/>.</summary>
/// <remarks>Money is NUMERIC. Budget sums run in SQL; report rows are folded in C# (the same code as SQLite), so both stores
/// give identical answers, percentiles included.</remarks>
public sealed class PostgresLedgerStore : ILedgerStore, IBudgetAlertStore, IRecentLedgerReader, IPostgresDatabase, IAsyncDisposable
{
    private const string Columns = "request_id, attempt_number, ts, key_id, route, task, provider, model, deployment, input_tokens, " +
        "output_tokens, cached_input_tokens, reasoning_tokens, cost_usd, latency_ms, ttft_ms, streamed, cache_hit, cost_saved_usd, " +
        "outcome, error_kind, status_code";

    /// <summary>Connections per replica when the connection string does not say (<c>Maximum Pool Size</c>).</summary>
    public const int DefaultMaxPoolSize = 20;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private volatile bool _initialized;

    public PostgresLedgerStore(string connectionString, TimeProvider time)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Pool Size", StringComparison.OrdinalIgnoreCase))
        {
            // Several replicas share the server's max_connections (100 by default): each takes at most this many, and
            // requests beyond it wait for a free connection instead of being refused by the server.
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _time = time;
    }

    /// <summary>The data source, for the cross-replica budget counter.</summary>
    /// <summary>The pool every Switchboard table in this database is reached through.</summary>
    public NpgsqlDataSource DataSource => _dataSource;

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

            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            // Replicas starting together queue here; the first applies the migrations, the others then find them applied.
            await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@k)", connection, tx))
            {
                lockCmd.Parameters.AddWithValue("k", PostgresLedgerMigrations.AdvisoryLockKey);
                await lockCmd.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var create = new NpgsqlCommand(
                "CREATE TABLE IF NOT EXISTS ledger_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)", connection, tx))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            var applied = new HashSet<int>();
            await using (var cmd = new NpgsqlCommand("SELECT version FROM ledger_migrations", connection, tx))
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            foreach (var (version, sql) in PostgresLedgerMigrations.All.Where(m => !applied.Contains(m.Version)))
            {
                await using var migrate = new NpgsqlCommand(sql, connection, tx);
                await migrate.ExecuteNonQueryAsync(cancellationToken);
                await using var mark = new NpgsqlCommand("INSERT INTO ledger_migrations (version, applied_at) VALUES (@v, @t)", connection, tx);
                mark.Parameters.AddWithValue("v", version);
                mark.Parameters.AddWithValue("t", _time.GetUtcNow());
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
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using var npgBatch = new NpgsqlBatch(connection, tx);
        foreach (var r in batch)
        {
            var cmd = new NpgsqlBatchCommand(
                $"INSERT INTO ledger_attempts ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, " +
                "$17, $18, $19, $20, $21, $22) ON CONFLICT (request_id, attempt_number) DO NOTHING");
            cmd.Parameters.Add(new NpgsqlParameter<string>{ TypedValue = r.RequestId });
            cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = r.AttemptNumber });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = r.Timestamp.ToUniversalTime() });
            cmd.Parameters.Add(Nullable(r.KeyId, NpgsqlDbType.Text));
            cmd.Parameters.Add(Nullable(r.Route, NpgsqlDbType.Text));
            cmd.Parameters.Add(Nullable(r.Task, NpgsqlDbType.Text));
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = r.Provider });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = r.Model });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = r.Deployment });
            cmd.Parameters.Add(Nullable(r.InputTokens, NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Nullable(r.OutputTokens, NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Nullable(r.CachedInputTokens, NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Nullable(r.ReasoningTokens, NpgsqlDbType.Bigint));
            cmd.Parameters.Add(Nullable(r.CostUsd, NpgsqlDbType.Numeric));
            cmd.Parameters.Add(new NpgsqlParameter<double> { TypedValue = r.Latency.TotalMilliseconds });
            cmd.Parameters.Add(Nullable(r.TimeToFirstToken?.TotalMilliseconds, NpgsqlDbType.Double));
            cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = r.Streamed });
            cmd.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = r.CacheHit });
            cmd.Parameters.Add(Nullable(r.CostSavedUsd, NpgsqlDbType.Numeric));
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = r.Outcome });
            cmd.Parameters.Add(Nullable(r.ErrorKind, NpgsqlDbType.Text));
            cmd.Parameters.Add(Nullable(r.StatusCode, NpgsqlDbType.Integer));
            npgBatch.BatchCommands.Add(cmd);
        }

        await npgBatch.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    public async Task<UsageReport> QueryAsync(UsageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken);
        await using var cmd = _dataSource.CreateCommand(
            $"SELECT {Columns} FROM ledger_attempts WHERE (@since IS NULL OR ts >= @since) AND (@until IS NULL OR ts < @until) " +
            "AND (@key IS NULL OR key_id = @key)");
        cmd.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = (object?)query.Since?.ToUniversalTime() ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("until", NpgsqlDbType.TimestampTz) { Value = (object?)query.Until?.ToUniversalTime() ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = (object?)query.KeyId ?? DBNull.Value });
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
        // The newest rows (by the timestamp index) name the requests; the primary key then finds all of their attempts.
        await using var cmd = _dataSource.CreateCommand($"SELECT {Columns} FROM ledger_attempts WHERE request_id IN " +
            "(SELECT request_id FROM ledger_attempts ORDER BY ts DESC LIMIT @scan)");
        cmd.Parameters.AddWithValue("scan", RecentAttempts.ScanRows(requests));
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
        await using var cmd = _dataSource.CreateCommand($"SELECT COALESCE(SUM(cost_usd), 0) FROM ledger_attempts WHERE ts >= @since{ScopeFilter(scope)}");
        cmd.Parameters.AddWithValue("since", since.ToUniversalTime());
        cmd.Parameters.AddWithValue("target", scope.Target ?? "");
        return (decimal)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<bool> TryMarkAlertAsync(string budget, DateTimeOffset windowStart, decimal threshold, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        await using var cmd = _dataSource.CreateCommand("INSERT INTO budget_alerts (budget_name, window_start, threshold, fired_at) " +
            "VALUES (@b, @w, @t, @f) ON CONFLICT DO NOTHING");
        cmd.Parameters.AddWithValue("b", budget);
        cmd.Parameters.AddWithValue("w", windowStart.ToUniversalTime());
        cmd.Parameters.AddWithValue("t", threshold);
        cmd.Parameters.AddWithValue("f", _time.GetUtcNow());
        return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        _initLock.Dispose();
    }

    /// <summary>The SQL condition (with a <c>@target</c> parameter) selecting a budget scope's rows.</summary>
    internal static string ScopeFilter(BudgetScope scope) => scope.Kind switch
    {
        BudgetScopeKind.Key => " AND key_id = @target",
        BudgetScopeKind.Route => " AND route = @target",
        BudgetScopeKind.Model => " AND (model = @target OR deployment = @target)",
        _ => " AND @target IS NOT NULL",
    };

    private static NpgsqlParameter Nullable<T>(T? value, NpgsqlDbType type) => new() { NpgsqlDbType = type, Value = (object?)value ?? DBNull.Value };

    private static LedgerRecord Read(NpgsqlDataReader r) => new()
    {
        RequestId = r.GetString(0),
        AttemptNumber = r.GetInt32(1),
        Timestamp = r.GetFieldValue<DateTimeOffset>(2),
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
        CostUsd = r.IsDBNull(13) ? null : r.GetDecimal(13),
        Latency = TimeSpan.FromMilliseconds(r.GetDouble(14)),
        TimeToFirstToken = r.IsDBNull(15) ? null : TimeSpan.FromMilliseconds(r.GetDouble(15)),
        Streamed = r.GetBoolean(16),
        CacheHit = r.GetBoolean(17),
        CostSavedUsd = r.IsDBNull(18) ? null : r.GetDecimal(18),
        Outcome = r.GetString(19),
        ErrorKind = r.IsDBNull(20) ? null : r.GetString(20),
        StatusCode = r.IsDBNull(21) ? null : r.GetInt32(21),
    };
}
