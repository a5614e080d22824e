namespace Switchboard.Budgets;

/// <summary>
/// Where a budget's spend and the holds of requests in flight are counted: in this process (one gateway, SQLite), or in
/// PostgreSQL so that every replica enforces the same budget.
/// </summary>
public interface IBudgetCounter
{
    /// <summary>Holds <paramref name="amountUsd"/> against the budget's window.</summary>
    /// <exception cref="BudgetExceededException">Spent + held + the amount would pass the limit; nothing is held.</exception>
    /// <exception cref="BudgetUnavailableException">The counter's store cannot be reached.</exception>
    Task<BudgetHold> HoldAsync(BudgetDefinition budget, DateTimeOffset windowStart, decimal amountUsd, CancellationToken cancellationToken);

    /// <summary>Replaces a hold by the real cost (0 releases it); answers the window's spend afterwards.</summary>
    Task<decimal> SettleAsync(BudgetHold hold, decimal actualUsd);

    /// <summary>The window's spend and what is held against it now.</summary>
    Task<(decimal Spent, decimal Held)> ReadAsync(BudgetDefinition budget, DateTimeOffset windowStart, CancellationToken cancellationToken);
}

/// <summary>One request's hold on one budget window.</summary>
public sealed record BudgetHold(BudgetDefinition Budget, DateTimeOffset WindowStart, decimal AmountUsd, Guid Id);
