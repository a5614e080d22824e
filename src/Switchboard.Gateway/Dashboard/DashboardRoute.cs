namespace Switchboard.Gateway.Dashboard;

/// <summary>A route as the playground offers it: its name, policy and candidate deployments in order.</summary>
internal sealed record DashboardRoute(string Name, string Policy, bool IsDefault, IReadOnlyList<string> Deployments);
