namespace Switchboard.Budgets;

/// <summary>A cost alert: a budget's spend crossed one of its thresholds. The webhook's JSON body.</summary>
public sealed record BudgetAlert
{
    public required string Budget { get; init; }
    public required string Scope { get; init; }
    public string? Target { get; init; }
    public required string Window { get; init; }
    public required DateTimeOffset WindowStart { get; init; }
    /// <summary>The fraction of the limit crossed (0.8 = 80 %).</summary>
    public required decimal Threshold { get; init; }
    public required decimal LimitUsd { get; init; }
    public required decimal SpentUsd { get; init; }
    public required DateTimeOffset FiredAt { get; init; }
}
