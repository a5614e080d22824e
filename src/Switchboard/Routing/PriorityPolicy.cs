using Switchboard.Chat;

namespace Switchboard.Routing;

/// <summary>The route's configured order: the first healthy deployment wins.</summary>
internal sealed class PriorityPolicy : IRoutingPolicy
{
    public string Name => RoutingPolicyNames.Priority;

    public void Order(List<Deployment> candidates, PlanContext context)
    {
    }
}
