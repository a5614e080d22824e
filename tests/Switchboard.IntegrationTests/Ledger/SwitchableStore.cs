using Switchboard.Budgets;
using Switchboard.Ledger;

namespace Switchboard.IntegrationTests.Ledger;

/// <summary>A store that can be made unreachable (for SQLite, which cannot be "stopped" like a server).</summary>
internal sealed class SwitchableStore(ILedgerStore inner) : ILedgerStore, IBudgetAlertStore, IRecentLedgerReader
{
    public volatile bool Down;

    public Task InitializeAsync(CancellationToken cancellationToken) => Check() ?? inner.InitializeAsync(cancellationToken);

    public Task AppendAsync(IReadOnlyList<LedgerRecord> batch, CancellationToken cancellationToken) =>
        Check() ?? inner.AppendAsync(batch, cancellationToken);

    public Task<UsageReport> QueryAsync(UsageQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);

    public Task<decimal> SpentAsync(BudgetScope scope, DateTimeOffset since, CancellationToken cancellationToken) =>
        inner.SpentAsync(scope, since, cancellationToken);

    public Task<bool> TryMarkAlertAsync(string budget, DateTimeOffset windowStart, decimal threshold, CancellationToken cancellationToken) =>
        ((IBudgetAlertStore)inner).TryMarkAlertAsync(budget, windowStart, threshold, cancellationToken);

    public Task<IReadOnlyList<LedgerRecord>> RecentAsync(int requests, CancellationToken cancellationToken) =>
        ((IRecentLedgerReader)inner).RecentAsync(requests, cancellationToken);

    private Task? Check() => Down ? Task.FromException(new InvalidOperationException("store down (test)")) : null;
}
