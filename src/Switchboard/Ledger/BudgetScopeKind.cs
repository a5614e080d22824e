namespace Switchboard.Ledger;

/// <summary>What a budget counts: every request, one virtual key's, one route's or one model's.</summary>
public enum BudgetScopeKind
{
    Global,
    Key,
    Route,
    Model,
}
