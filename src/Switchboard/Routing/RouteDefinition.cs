namespace Switchboard.Routing;

/// <summary>A configured route or alias: <c>Switchboard:Models:&lt;name&gt;</c>.</summary>
public sealed class RouteDefinition
{
    /// <summary>How candidates are ordered: one of <see cref="RoutingPolicyNames"/>.</summary>
    public string Policy { get; set; } = RoutingPolicyNames.Priority;

    /// <summary>Deployments as <c>provider/model</c> (a configured provider name, or a provider type).</summary>
    public IList<string> Targets { get; } = [];

    /// <summary>Relative weights by target for the <c>weighted</c> policy (missing targets weigh 1).</summary>
    public IDictionary<string, int> Weights { get; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

    /// <summary>When set, a second candidate starts after this many milliseconds and the first answer wins (non-streaming).</summary>
    public double? HedgeDelayMs { get; set; }

    /// <summary>Hedge after the first candidate's measured p95 latency (once it has enough samples); <see cref="HedgeDelayMs"/>,
    /// when also set, is the delay until then.</summary>
    public bool HedgeAtP95 { get; set; }
}
