using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Ledger;
using Switchboard.Telemetry;

namespace Switchboard.Budgets;

/// <summary>
/// Enforces the budgets race-free: a request holds its worst case against every budget that applies before the call,
/// and settles with the real cost after, so concurrent requests cannot overrun a budget by more than one request. The
/// counting happens in this process on SQLite, and in PostgreSQL (shared by every replica) when the ledger is there.
/// </summary>
public sealed partial class BudgetManager
{
    private readonly IReadOnlyList<BudgetDefinition> _budgets;
    private readonly IBudgetCounter _counter;
    private readonly CostAlerter _alerter;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public BudgetManager(IOptions<BudgetOptions> options, IBudgetCounter counter, CostAlerter alerter, TimeProvider time,
        ILogger<BudgetManager>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _budgets = [.. options.Value.Budgets];
        _counter = counter;
        _alerter = alerter;
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public IReadOnlyList<BudgetDefinition> Budgets => _budgets;

    /// <summary>The budgets' clock: a worst case is estimated at the prices in force now (<see cref="Pricing.ModelInfo.PricedAt"/>).</summary>
    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Whether any budget applies to <paramref name="scopes"/>.</summary>
    public bool AnyApplies(BudgetScopeSet scopes) => _budgets.Any(b => b.Applies(scopes));

    /// <summary>Holds <paramref name="worstCaseUsd"/> against every budget that applies to <paramref name="scopes"/>.</summary>
    /// <exception cref="BudgetExceededException">A budget's spent + reserved + worst case would pass its limit; nothing is held.</exception>
    /// <exception cref="BudgetUnavailableException">A budget applies but its counter cannot be reached; nothing is held.</exception>
    public async Task<BudgetReservation> ReserveAsync(BudgetScopeSet scopes, decimal worstCaseUsd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentOutOfRangeException.ThrowIfNegative(worstCaseUsd);
        var now = _time.GetUtcNow();
        var holds = new List<BudgetHold>();
        try
        {
            foreach (var budget in _budgets.Where(b => b.Applies(scopes)))
            {
                holds.Add(await _counter.HoldAsync(budget, BudgetWindows.Start(budget.Window, now), worstCaseUsd, cancellationToken));
            }
        }
        catch
        {
            await SettleAsync(holds, 0m);
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
            var windowStart = BudgetWindows.Start(budget.Window, now);
            var (spent, held) = await _counter.ReadAsync(budget, windowStart, cancellationToken);
            list.Add(new BudgetStatus(budget.Name, budget.Scope, budget.Target, budget.Window, windowStart, budget.LimitUsd, spent, held));
        }

        return list;
    }

    /// <summary>Replaces each hold by the real cost. Never throws: a hold that cannot be settled expires by itself (PostgreSQL)
    /// and the cost is in the ledger either way.</summary>
    internal async Task SettleAsync(IReadOnlyList<BudgetHold> holds, decimal actualUsd)
    {
        foreach (var hold in holds)
        {
            decimal spent;
            try
            {
                spent = await _counter.SettleAsync(hold, actualUsd);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogSettleFailed(_logger, hold.Budget.Name, ex);
                continue;
            }

            if (actualUsd == 0m)
            {
                continue;
            }

            _alerter.Check(hold.Budget, hold.WindowStart, spent);
            if (hold.Budget.LimitUsd > 0)
            {
                SwitchboardTelemetry.BudgetUtilization.Record((double)(spent / hold.Budget.LimitUsd),
                    new KeyValuePair<string, object?>("switchboard.budget", hold.Budget.Name));
            }
        }
    }

    [LoggerMessage(EventId = 3205, Level = LogLevel.Warning,
        Message = "Could not settle a request's hold on budget {Budget}; the hold expires by itself and the ledger has the cost")]
    private static partial void LogSettleFailed(ILogger logger, string budget, Exception exception);
}
