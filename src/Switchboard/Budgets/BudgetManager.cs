using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Switchboard.Ledger;
using Switchboard.Telemetry;

namespace Switchboard.Budgets;

/// <summary>
/// Enforces the budgets race-free within this process: a request reserves its worst case against every budget that
/// applies before the call, and settles with the real cost after. Each budget is a lock over (spend in the store when the
/// window was first used + settled since + outstanding reservations), so concurrent requests can never overrun it.
/// </summary>
/// <remarks>The spend is read from the store once per budget window; this process is assumed to be the only writer
/// (SQLite). Several replicas on PostgreSQL each hold their own reservations: enforcement across replicas is not done here.</remarks>
public sealed class BudgetManager
{
    private readonly IReadOnlyList<BudgetDefinition> _budgets;
    private readonly ILedgerStore _store;
    private readonly CostAlerter _alerter;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Name, DateTimeOffset Window), Lazy<Task<BudgetState>>> _states = new();

    public BudgetManager(IOptions<BudgetOptions> options, ILedgerStore store, CostAlerter alerter, TimeProvider time)
    {
        _budgets = [.. options.Value.Budgets];
        _store = store;
        _alerter = alerter;
        _time = time;
    }

    public IReadOnlyList<BudgetDefinition> Budgets => _budgets;

    /// <summary>Holds <paramref name="worstCaseUsd"/> against every budget that applies to <paramref name="scopes"/>.</summary>
    /// <exception cref="BudgetExceededException">A budget's spent + reserved + worst case would pass its limit; nothing is held.</exception>
    public async Task<BudgetReservation> ReserveAsync(BudgetScopeSet scopes, decimal worstCaseUsd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentOutOfRangeException.ThrowIfNegative(worstCaseUsd);
        var now = _time.GetUtcNow();
        var holds = new List<BudgetState>();
        try
        {
            foreach (var budget in _budgets)
            {
                if (!budget.Applies(scopes))
                {
                    continue;
                }

                var state = await StateAsync(budget, now, cancellationToken);
                lock (state)
                {
                    var committed = state.Spent + state.Reserved;
                    if (committed + worstCaseUsd > budget.LimitUsd)
                    {
                        throw new BudgetExceededException(budget.Name, budget.LimitUsd, committed);
                    }

                    state.Reserved += worstCaseUsd;
                }

                holds.Add(state);
            }
        }
        catch
        {
            Release(holds, worstCaseUsd);
            throw;
        }

        return new BudgetReservation(this, holds, worstCaseUsd);
    }

    /// <summary>Every budget's spend and holds in its current window.</summary>
    public async Task<IReadOnlyList<BudgetStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var list = new List<BudgetStatus>(_budgets.Count);
        foreach (var budget in _budgets)
        {
            var state = await StateAsync(budget, now, cancellationToken);
            lock (state)
            {
                list.Add(new BudgetStatus(budget.Name, budget.Scope, budget.Target, budget.Window, state.WindowStart,
                    budget.LimitUsd, state.Spent, state.Reserved));
            }
        }

        return list;
    }

    internal void Settle(IReadOnlyList<BudgetState> holds, decimal worstCaseUsd, decimal actualUsd)
    {
        foreach (var state in holds)
        {
            decimal spent;
            lock (state)
            {
                state.Reserved -= worstCaseUsd;
                state.Settled += actualUsd;
                spent = state.Spent;
            }

            _alerter.Check(state.Budget, state.WindowStart, spent);
            if (state.Budget.LimitUsd > 0)
            {
                SwitchboardTelemetry.BudgetUtilization.Record((double)(spent / state.Budget.LimitUsd),
                    new KeyValuePair<string, object?>("switchboard.budget", state.Budget.Name));
            }
        }
    }

    private static void Release(List<BudgetState> holds, decimal worstCaseUsd)
    {
        foreach (var state in holds)
        {
            lock (state)
            {
                state.Reserved -= worstCaseUsd;
            }
        }
    }

    private async Task<BudgetState> StateAsync(BudgetDefinition budget, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = (budget.Name, BudgetWindows.Start(budget.Window, now));
        var lazy = _states.GetOrAdd(key, k => new Lazy<Task<BudgetState>>(() => LoadAsync(budget, k.Window)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _states.TryRemove(new KeyValuePair<(string, DateTimeOffset), Lazy<Task<BudgetState>>>(key, lazy)); // retry the load next time
            throw;
        }
    }

    private async Task<BudgetState> LoadAsync(BudgetDefinition budget, DateTimeOffset windowStart)
    {
        // Not the caller's token: other requests share this load.
        var spent = await _store.SpentAsync(budget.ToScope(), windowStart, CancellationToken.None);
        foreach (var old in _states.Keys.Where(k => k.Name == budget.Name && k.Window < windowStart))
        {
            _states.TryRemove(old, out _);
        }

        return new BudgetState(budget, windowStart, spent);
    }
}
