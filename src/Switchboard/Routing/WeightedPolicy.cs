using Switchboard.Chat;

namespace Switchboard.Routing;

/// <summary>A weighted random order (without replacement): traffic splits by the route's weights, the rest stay as fallbacks.</summary>
internal sealed class WeightedPolicy : IRoutingPolicy
{
    public string Name => RoutingPolicyNames.Weighted;

    public void Order(List<Deployment> candidates, PlanContext context)
    {
        var pool = candidates.Select(d => (d, weight: Math.Max(0, context.Route.Weights.TryGetValue(d.Name, out var w) ? w : 1))).ToList();
        candidates.Clear();
        while (pool.Count > 0)
        {
            var total = pool.Sum(p => p.weight);
            var index = 0;
            if (total > 0)
            {
                var pick = context.Random.Next(total);
                while (pick >= pool[index].weight)
                {
                    pick -= pool[index].weight;
                    index++;
                }
            }

            candidates.Add(pool[index].d);
            pool.RemoveAt(index);
        }
    }
}
