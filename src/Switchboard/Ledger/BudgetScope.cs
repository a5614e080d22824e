namespace Switchboard.Ledger;

/// <summary>The ledger rows one budget counts: all of them (<see cref="BudgetScopeKind.Global"/>) or those of one key, route or model.</summary>
public sealed record BudgetScope(BudgetScopeKind Kind, string? Target = null)
{
    public static BudgetScope Global { get; } = new(BudgetScopeKind.Global);
}
