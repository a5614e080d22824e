namespace Switchboard.Budgets;

/// <summary>A budget's state in its current window (for <c>/admin/budgets</c>).</summary>
public sealed record BudgetStatus(string Name, string Scope, string? Target, string Window, DateTimeOffset WindowStart,
    decimal LimitUsd, decimal SpentUsd, decimal ReservedUsd);
