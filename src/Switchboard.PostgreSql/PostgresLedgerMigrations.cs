using Switchboard.Ledger;

namespace Switchboard.PostgreSql;

/// <summary>The PostgreSQL ledger schema, version by version. Applied in order under an advisory lock; never edit a shipped version.</summary>
internal static class PostgresLedgerMigrations
{
    /// <summary>The advisory lock key replicas take while migrating (any fixed number unique to the ledger).</summary>
    public const long AdvisoryLockKey = 0x5357_4C45_4447_4552; // "SWLEDGER"

    public static IReadOnlyList<(int Version, string Sql)> All { get; } =
    [
        (1, """
            CREATE TABLE ledger_attempts (
                request_id TEXT NOT NULL,
                attempt_number INTEGER NOT NULL,
                ts TIMESTAMPTZ NOT NULL,
                key_id TEXT,
                route TEXT,
                task TEXT,
                provider TEXT NOT NULL,
                model TEXT NOT NULL,
                deployment TEXT NOT NULL,
                input_tokens BIGINT,
                output_tokens BIGINT,
                cached_input_tokens BIGINT,
                reasoning_tokens BIGINT,
                cost_usd NUMERIC,
                latency_ms DOUBLE PRECISION NOT NULL,
                ttft_ms DOUBLE PRECISION,
                streamed BOOLEAN NOT NULL,
                cache_hit BOOLEAN NOT NULL,
                cost_saved_usd NUMERIC,
                outcome TEXT NOT NULL,
                error_kind TEXT,
                status_code INTEGER,
                PRIMARY KEY (request_id, attempt_number)
            );
            CREATE INDEX ix_ledger_attempts_ts ON ledger_attempts (ts);
            CREATE INDEX ix_ledger_attempts_key_ts ON ledger_attempts (key_id, ts);
            """),
        (2, """
            CREATE TABLE budget_alerts (
                budget_name TEXT NOT NULL,
                window_start TIMESTAMPTZ NOT NULL,
                threshold NUMERIC(10, 4) NOT NULL,
                fired_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (budget_name, window_start, threshold)
            );
            """),
        (3, """
            CREATE TABLE virtual_keys (
                id TEXT PRIMARY KEY,
                name TEXT,
                key_hash TEXT NOT NULL UNIQUE,
                prefix TEXT NOT NULL,
                models TEXT NOT NULL DEFAULT '[]',
                expires_at TIMESTAMPTZ,
                rpm INTEGER,
                tpm INTEGER,
                created_at TIMESTAMPTZ NOT NULL,
                revoked_at TIMESTAMPTZ
            );
            """),
        (4, """
            CREATE TABLE budget_counters (
                budget_name TEXT NOT NULL,
                window_start TIMESTAMPTZ NOT NULL,
                spent_usd NUMERIC NOT NULL,
                PRIMARY KEY (budget_name, window_start)
            );
            CREATE TABLE budget_holds (
                id UUID PRIMARY KEY,
                budget_name TEXT NOT NULL,
                window_start TIMESTAMPTZ NOT NULL,
                amount_usd NUMERIC NOT NULL,
                expires_at TIMESTAMPTZ NOT NULL
            );
            CREATE INDEX ix_budget_holds_budget ON budget_holds (budget_name, window_start);
            """),
    ];
}
