namespace Switchboard.Budgets;

/// <summary>The worst case of one request, held against every budget that applies until <see cref="SettleAsync"/>
/// replaces it with the real cost. Disposing an unsettled reservation releases it (nothing was spent).</summary>
public sealed class BudgetReservation : IAsyncDisposable
{
    private readonly BudgetManager _manager;
    private readonly IReadOnlyList<BudgetHold> _holds;
    private int _settled;

    internal BudgetReservation(BudgetManager manager, IReadOnlyList<BudgetHold> holds, decimal worstCaseUsd)
    {
        _manager = manager;
        _holds = holds;
        WorstCaseUsd = worstCaseUsd;
    }

    public decimal WorstCaseUsd { get; }

    /// <summary>The budgets this request counts against.</summary>
    public IReadOnlyList<string> Budgets => [.. _holds.Select(h => h.Budget.Name)];

    /// <summary>Records the request's real cost and releases the rest of the worst case. Only the first call counts.</summary>
    public Task SettleAsync(decimal actualCostUsd, CancellationToken cancellationToken = default)
    {
        return Interlocked.Exchange(ref _settled, 1) == 0 ? _manager.SettleAsync(_holds, actualCostUsd) : Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => new(SettleAsync(0m));
}
