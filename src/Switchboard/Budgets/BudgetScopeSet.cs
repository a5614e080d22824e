namespace Switchboard.Budgets;

/// <summary>What a request is, for budgets: its virtual key id, route and model (each null when unknown).</summary>
public sealed record BudgetScopeSet(string? KeyId, string? Route, string? Model);
