namespace Switchboard.Ledger;

/// <summary>Defaults of <see cref="LedgerOptions"/>.</summary>
public static class LedgerDefaults
{
    public const string Provider = LedgerProviders.Sqlite;
    public const string SqliteConnectionString = "Data Source=switchboard.db";
    public const string JournalFileName = "switchboard-ledger.journal";
    public const int BatchSize = 500;
    public const int FlushIntervalMs = 200;
    public const int QueueCapacity = 10_000;
    public const int MaxRetryDelayMs = 5_000;
    /// <summary>1 GiB of undrained journal: about 2.5 million records, hours of a store outage at this machine's peak rate.</summary>
    public const long JournalMaxBytes = 1L << 30;
}
