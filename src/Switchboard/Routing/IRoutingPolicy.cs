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
public sealed record PlanContext(Route Route, long ExpectedOutputTokens, Func<string, double?> LatencyOf, Random Random)
{
    private readonly InputTokenCount? _input;

    public PlanContext(Route route, long estimatedInputTokens, long expectedOutputTokens, Func<string, double?> latencyOf, Random random)
        : this(route, expectedOutputTokens, latencyOf, random) => _input = new InputTokenCount(estimatedInputTokens);

    internal PlanContext(Route route, InputTokenCount input, long expectedOutputTokens, Func<string, double?> latencyOf, Random random)
        : this(route, expectedOutputTokens, latencyOf, random) => _input = input;

    /// <summary>The request's input tokens by the o200k estimate (counted on first read).</summary>
    public long EstimatedInputTokens => _input?.Value ?? 0;

    /// <summary>When the request is planned: prices are compared as they stand then (<see cref="Pricing.ModelInfo.PricedAt"/>).</summary>
    public DateTimeOffset Now { get; init; }
}
