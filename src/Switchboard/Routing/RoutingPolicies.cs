using System.Collections.Frozen;

namespace Switchboard.Routing;

/// <summary>The policies by name.</summary>
internal static class RoutingPolicies
{
    public static readonly FrozenDictionary<string, IRoutingPolicy> ByName = new IRoutingPolicy[]
    {
        new PriorityPolicy(), new WeightedPolicy(), new CheapestPolicy(), new LowestLatencyPolicy(),
    }.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public static IRoutingPolicy Get(string name) => ByName.TryGetValue(name, out var policy) ? policy : ByName[RoutingPolicyNames.Priority];
}
