namespace Switchboard.Chat;

/// <summary>Per-request routing hints: the original design's <c>task_type</c>, <c>prefer_cost</c> and <c>fallback</c>.</summary>
public sealed record RouteOptions
{
    /// <summary>No hints: the route's own order, fallback on.</summary>
    public static readonly RouteOptions Default = new();

    /// <summary>Task type (<c>code_generation</c>, <c>long_context</c>, <c>general</c>, or a configured one).</summary>
    public string? Task { get; init; }

    /// <summary>Cheapest healthy candidate first (same as <see cref="Prefer"/> = <c>cost</c>).</summary>
    public bool PreferCost { get; init; }

    /// <summary><c>cost</c>, <c>latency</c> or <c>quality</c> (route order).</summary>
    public string? Prefer { get; init; }

    /// <summary>False: try only the first candidate.</summary>
    public bool Fallback { get; init; } = true;
}
