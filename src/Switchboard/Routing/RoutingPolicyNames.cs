namespace Switchboard.Routing;

/// <summary>The names of the routing policies.</summary>
public static class RoutingPolicyNames
{
    public const string Priority = "priority";
    public const string Weighted = "weighted";
    public const string Cheapest = "cheapest";
    public const string LowestLatency = "lowest-latency";

    public static readonly IReadOnlyList<string> All = [Priority, Weighted, Cheapest, LowestLatency];
}
