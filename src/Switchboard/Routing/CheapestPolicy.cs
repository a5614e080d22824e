using Switchboard.Chat;
using Switchboard.Pricing;

namespace Switchboard.Routing;

/// <summary>Cheapest first, by catalog price applied to this request's estimated input and expected output. Unpriced models go last.</summary>
internal sealed class CheapestPolicy : IRoutingPolicy
{
    public string Name => RoutingPolicyNames.Cheapest;

    public void Order(List<Deployment> candidates, PlanContext context)
    {
        var ordered = candidates
            .OrderBy(d => d.Info is { } info ? CostCalculator.Estimate(info.PricedAt(context.Now), context.EstimatedInputTokens, context.ExpectedOutputTokens) : decimal.MaxValue)
            .ToList();
        candidates.Clear();
        candidates.AddRange(ordered);
    }
}
