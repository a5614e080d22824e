using System.Collections.Concurrent;
using Switchboard.Ledger;

namespace Switchboard.Budgets;

/// <summary>
/// Budgets counted in this process: each window is a lock over (the store's spend when the window was first used +
/// settled since + holds in flight). Right when this process is the store's only writer (SQLite).
/// </summary>
internal sealed class InProcessBudgetCounter(ILedgerStore store) : IBudgetCounter
{
    private readonly ConcurrentDictionary<(string Name, DateTimeOffset Window), Lazy<Task<BudgetState>>> _states = new();

    public async Task<BudgetHold> HoldAsync(BudgetDefinition budget, DateTimeOffset windowStart, decimal amountUsd, CancellationToken cancellationToken)
    {
        var state = await StateAsync(budget, windowStart, cancellationToken);
        lock (state)
        {
            var committed = state.Spent + state.Reserved;
            if (committed + amountUsd > budget.LimitUsd)
            {
                throw new BudgetExceededException(budget.Name, budget.LimitUsd, committed);
            }

            state.Reserved += amountUsd;
        }

        return new BudgetHold(budget, windowStart, amountUsd, Guid.NewGuid());
    }

    public async Task<decimal> SettleAsync(BudgetHold hold, decimal actualUsd)
    {
        var state = await StateAsync(hold.Budget, hold.WindowStart, CancellationToken.None);
        lock (state)
        {
            state.Reserved -= hold.AmountUsd;
            state.Settled += actualUsd;
            return state.Spent;
        }
    }

    public async Task<(decimal Spent, decimal Held)> ReadAsync(BudgetDefinition budget, DateTimeOffset windowStart, CancellationToken cancellationToken)
    {
        var state = await StateAsync(budget, windowStart, cancellationToken);
        lock (state)
        {
            return (state.Spent, state.Reserved);
        }
    }

    private async Task<BudgetState> StateAsync(BudgetDefinition budget, DateTimeOffset windowStart, CancellationToken cancellationToken)
    {
        var key = (budget.Name, windowStart);
        var lazy = _states.GetOrAdd(key, k => new Lazy<Task<BudgetState>>(() => LoadAsync(budget, k.Window)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (lazy.Value.IsFaulted)
        {
            _states.TryRemove(new KeyValuePair<(string, DateTimeOffset), Lazy<Task<BudgetState>>>(key, lazy)); // retry the load next time
            throw new BudgetUnavailableException($"The spend of budget '{budget.Name}' could not be read from the ledger store.", ex);
        }
    }

    private async Task<BudgetState> LoadAsync(BudgetDefinition budget, DateTimeOffset windowStart)
    {
        // Not the caller's token: other requests share this load.
        var spent = await store.SpentAsync(budget.ToScope(), windowStart, CancellationToken.None);
        foreach (var old in _states.Keys.Where(k => k.Name == budget.Name && k.Window < windowStart))
        {
            _states.TryRemove(old, out _);
        }

        return new BudgetState(budget, windowStart, spent);
    }
}
