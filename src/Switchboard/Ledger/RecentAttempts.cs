namespace Switchboard.Ledger;

/// <summary>Shared by the stores' <see cref="IRecentLedgerReader"/>: which rows to scan and how to order what they return.</summary>
internal static class RecentAttempts
{
    /// <summary>The most requests one call returns.</summary>
    public const int MaxRequests = 500;

    /// <summary>How many newest rows are scanned for request ids: enough for every request to have failed over several times.</summary>
    public static int ScanRows(int requests) => Math.Clamp(requests, 1, MaxRequests) * 8;

    /// <summary>The rows of the newest <paramref name="requests"/> request ids, newest request first, attempts in order.</summary>
    public static IReadOnlyList<LedgerRecord> Order(IEnumerable<LedgerRecord> rows, int requests) =>
        rows.GroupBy(r => r.RequestId, StringComparer.Ordinal)
            .OrderByDescending(g => g.Max(r => r.Timestamp))
            .ThenByDescending(g => g.Key, StringComparer.Ordinal)
            .Take(Math.Clamp(requests, 1, MaxRequests))
            .SelectMany(g => g.OrderBy(r => r.AttemptNumber))
            .ToList();
}
