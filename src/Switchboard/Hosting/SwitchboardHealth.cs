using Switchboard.Resilience;
using Switchboard.Routing;

namespace Switchboard.Hosting;

/// <summary>Health as data: every routable deployment's circuit, success rate, latency, headroom and last error.</summary>
public sealed class SwitchboardHealth(RouteTable routes, DeploymentResilience resilience, HealthTracker tracker)
{
    public IReadOnlyList<DeploymentHealth> Deployments() =>
        routes.Routes
            .SelectMany(r => r.Deployments)
            .DistinctBy(d => d.Name, StringComparer.OrdinalIgnoreCase)
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .Select(d =>
            {
                var limiter = resilience.Limiter(d);
                return tracker.Snapshot(d, resilience.CircuitState(d), limiter.RequestsHeadroom, limiter.TokensHeadroom);
            })
            .ToList();
}
