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
}
