using Microsoft.Extensions.Logging;

namespace Switchboard.Ledger;

public sealed partial class LedgerWriter
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Ledger store unavailable; {Count} records journalled locally and retried with backoff")]
    private static partial void LogStoreDown(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Ledger store reachable again; draining {Pending} journalled records")]
    private static partial void LogStoreRecovered(ILogger logger, long pending);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Ledger journal write failed for {Count} records; records are held in memory and /readyz reports not ready until it works again")]
    private static partial void LogJournalFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Ledger lost {Count} record(s): memory bound reached while neither the store nor the journal took them (switchboard.ledger.lost counts every one)")]
    private static partial void LogLost(ILogger logger, int count, Exception? exception);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Ledger journal {Path} writable again")]
    private static partial void LogJournalRecovered(ILogger logger, string path);
}
