namespace Switchboard.Gateway.Dashboard;

/// <summary>A deployment's circuit moved from one state to another (as this replica saw it).</summary>
internal sealed record CircuitChange(DateTimeOffset At, string Deployment, string From, string To);
