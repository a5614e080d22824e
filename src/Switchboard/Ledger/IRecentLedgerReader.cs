namespace Switchboard.Ledger;

/// <summary>An optional capability of a ledger store: the attempts of the most recent requests (for the dashboard).</summary>
public interface IRecentLedgerReader
{
    /// <summary>
    /// Every stored attempt of the <paramref name="requests"/> most recent requests, newest request first and, within a
    /// request, in attempt order.
    /// </summary>
    Task<IReadOnlyList<LedgerRecord>> RecentAsync(int requests, CancellationToken cancellationToken);
}
