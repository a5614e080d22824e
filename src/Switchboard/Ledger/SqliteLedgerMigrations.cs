namespace Switchboard.Ledger;

/// <summary>The SQLite ledger schema, version by version. Applied in order; never edit a shipped version, add one.</summary>
/// <remarks>Recorded in <c>ledger_migrations</c>, apart from the key store's <c>schema_migrations</c> in the same file.
/// Money is TEXT holding an invariant decimal (summed in C#), never REAL.</remarks>
internal static class SqliteLedgerMigrations
{
    public static IReadOnlyList<(int Version, string Sql)> All { get; } =
    [
        (1, """
            CREATE TABLE ledger_attempts (
                request_id TEXT NOT NULL,
                attempt_number INTEGER NOT NULL,
                ts_ms INTEGER NOT NULL,
                key_id TEXT,
                route TEXT,
                task TEXT,
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                deployment TEXT NOT NULL,
                input_tokens INTEGER,
                output_tokens INTEGER,
                cached_input_tokens INTEGER,
                reasoning_tokens INTEGER,
                cost_usd TEXT,
                latency_ms REAL NOT NULL,
                ttft_ms REAL,
                streamed INTEGER NOT NULL,
                cache_hit INTEGER NOT NULL,
                cost_saved_usd TEXT,
                outcome TEXT NOT NULL,
                error_kind TEXT,
                status_code INTEGER,
                PRIMARY KEY (request_id, attempt_number)
            );
            CREATE INDEX ix_ledger_attempts_ts ON ledger_attempts (ts_ms);
            CREATE INDEX ix_ledger_attempts_key_ts ON ledger_attempts (key_id, ts_ms);
            """),
        (2, """
            CREATE TABLE budget_alerts (
                budget_name TEXT NOT NULL,
                window_start_ms INTEGER NOT NULL,
                threshold TEXT NOT NULL,
                fired_at_ms INTEGER NOT NULL,
                PRIMARY KEY (budget_name, window_start_ms, threshold)
            );
            """),
    ];
}
