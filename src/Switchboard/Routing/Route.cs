using Switchboard.Chat;

namespace Switchboard.Routing;

/// <summary>A resolved route: its deployments in configured order, the policy that orders them, optional hedging.</summary>
public sealed record Route(string Name, string Policy, IReadOnlyList<Deployment> Deployments,
    IReadOnlyDictionary<string, int> Weights, TimeSpan? HedgeDelay)
{
    /// <summary>Whether the request named a route (task rules and policies apply) rather than one exact deployment.</summary>
    public bool IsAlias { get; init; } = true;

    /// <summary>Hedge after the first candidate's measured p95 latency once it is known (else after <see cref="HedgeDelay"/>).</summary>
    public bool HedgeAtP95 { get; init; }
}
