using Switchboard.Chat;

namespace Switchboard.Routing;

/// <summary>
/// Fastest first, by the moving average of measured latency (time to first token where known). Deployments not yet
/// measured go first, so each gets measured.
/// </summary>
internal sealed class LowestLatencyPolicy : IRoutingPolicy
{
    public string Name => RoutingPolicyNames.LowestLatency;

    public void Order(List<Deployment> candidates, PlanContext context)
    {
        var ordered = candidates.OrderBy(d => context.LatencyOf(d.StateKey) ?? -1).ToList();
        candidates.Clear();
        candidates.AddRange(ordered);
    }
}
