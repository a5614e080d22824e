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

    /// <summary>What a response's final record survives before its last bytes are sent: <see cref="LedgerDurability"/>.</summary>
    public string Durability { get; set; } = LedgerDurability.Process;

    public int BatchSize { get; set; } = LedgerDefaults.BatchSize;
    public int FlushIntervalMs { get; set; } = LedgerDefaults.FlushIntervalMs;
    public int QueueCapacity { get; set; } = LedgerDefaults.QueueCapacity;
    public int MaxRetryDelayMs { get; set; } = LedgerDefaults.MaxRetryDelayMs;

    /// <summary>The most undrained bytes the journal may hold (the store down for long); past it appends fail, records are held
    /// in memory and <c>/readyz</c> reports not ready.</summary>
    public long JournalMaxBytes { get; set; } = LedgerDefaults.JournalMaxBytes;

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

/// <summary>Values of <c>Switchboard:Ledger:Durability</c>.</summary>
public static class LedgerDurability
{
    /// <summary>The journal append is handed to the operating system (a write, no fsync): it survives the gateway's crash,
    /// <c>kill -9</c> included, not a crash of the machine. The default: it costs microseconds.</summary>
    public const string Process = "process";

    /// <summary>The journal append is fsynced: it also survives a power loss or kernel crash, at one disk flush per
    /// group of concurrent responses (1 to 3 ms on the machines this was measured on).</summary>
    public const string Fsync = "fsync";
}
