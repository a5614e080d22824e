using Microsoft.Data.Sqlite;

namespace Switchboard.Ledger;

/// <summary><c>Switchboard:Ledger</c>: where attempts are recorded.</summary>
public sealed class LedgerOptions
{
    /// <summary><c>sqlite</c> (embedded default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = LedgerDefaults.Provider;

    /// <summary>The database; for SQLite defaults to <c>Data Source=switchboard.db</c>, required for PostgreSQL.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The local journal; defaults to <c>switchboard-ledger.journal</c> beside the SQLite file (or in the working folder).</summary>
    public string? JournalPath { get; set; }

    public int BatchSize { get; set; } = LedgerDefaults.BatchSize;
    public int FlushIntervalMs { get; set; } = LedgerDefaults.FlushIntervalMs;
    public int QueueCapacity { get; set; } = LedgerDefaults.QueueCapacity;
    public int MaxRetryDelayMs { get; set; } = LedgerDefaults.MaxRetryDelayMs;

    internal bool IsPostgres => string.Equals(Provider, LedgerProviders.Postgres, StringComparison.OrdinalIgnoreCase);

    internal string EffectiveConnectionString => ConnectionString ?? LedgerDefaults.SqliteConnectionString;

    internal string EffectiveJournalPath
    {
        get
        {
            if (!string.IsNullOrEmpty(JournalPath))
            {
                return JournalPath;
            }

            if (!IsPostgres)
            {
                var file = new SqliteConnectionStringBuilder(EffectiveConnectionString).DataSource;
                var folder = string.IsNullOrEmpty(file) || file == ":memory:" ? null : System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(file));
                if (folder is not null)
                {
                    return System.IO.Path.Combine(folder, LedgerDefaults.JournalFileName);
                }
            }

            return LedgerDefaults.JournalFileName;
        }
    }
}
