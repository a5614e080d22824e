using Switchboard.Chat;

namespace Switchboard.Routing;

/// <summary>Orders a route's candidate deployments, best first. One small class per policy, named in <see cref="RoutingPolicyNames"/>.</summary>
public interface IRoutingPolicy
{
    string Name { get; }

    /// <summary>Reorders <paramref name="candidates"/> in place.</summary>
    void Order(List<Deployment> candidates, PlanContext context);
}

/// <summary>What a policy may look at: the route, the request's token estimate, measured health, a random source.</summary>
public sealed record PlanContext(Route Route, long EstimatedInputTokens, long ExpectedOutputTokens, Func<string, double?> LatencyOf, Random Random);
