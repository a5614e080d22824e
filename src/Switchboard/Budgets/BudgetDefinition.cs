using Switchboard.Ledger;

namespace Switchboard.Budgets;

/// <summary>One budget of <c>Switchboard:Budgets</c>: a spending limit over a scope and a time window, with alert thresholds.</summary>
public sealed class BudgetDefinition
{
    public string Name { get; set; } = "";

    /// <summary><c>global</c>, <c>key</c>, <c>route</c> or <c>model</c>.</summary>
    public string Scope { get; set; } = "global";

    /// <summary>The key id, route or model the budget counts; null for <c>global</c>. A model is a catalog id (<c>gpt-4.1</c>, every
    /// provider serving it) or <c>provider/model</c>; it applies to every request that may be served by it.</summary>
    public string? Target { get; set; }

    /// <summary><c>daily</c>, <c>monthly</c> or <c>total</c> (UTC).</summary>
    public string Window { get; set; } = BudgetWindows.Monthly;

    /// <summary>The hard limit: a request whose worst case would take the spend past it is refused.</summary>
    public decimal LimitUsd { get; set; }

    /// <summary>Fractions of the limit that raise a cost alert when crossed; default 0.5, 0.8, 1.0.</summary>
    public List<decimal>? AlertThresholds { get; set; }

    /// <summary>Where alerts are POSTed as JSON, if anywhere.</summary>
    public Uri? WebhookUrl { get; set; }

    internal IReadOnlyList<decimal> EffectiveThresholds =>
        AlertThresholds is { Count: > 0 } t ? [.. t.Order()] : [0.5m, 0.8m, 1.0m];

    internal BudgetScopeKind ScopeKind => Scope.ToLowerInvariant() switch
    {
        "key" => BudgetScopeKind.Key,
        "route" => BudgetScopeKind.Route,
        "model" => BudgetScopeKind.Model,
        _ => BudgetScopeKind.Global,
    };

    internal BudgetScope ToScope() => new(ScopeKind, ScopeKind == BudgetScopeKind.Global ? null : Target);

    internal bool Applies(BudgetScopeSet scopes) => ScopeKind switch
    {
        BudgetScopeKind.Key => scopes.KeyId is not null && string.Equals(scopes.KeyId, Target, StringComparison.Ordinal),
        BudgetScopeKind.Route => scopes.Route is not null && string.Equals(scopes.Route, Target, StringComparison.OrdinalIgnoreCase),
        BudgetScopeKind.Model => scopes.MayUse(Target),
        _ => true,
    };
}
