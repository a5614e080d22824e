namespace Switchboard.IntegrationTests.Chaos;

/// <summary>A deployment's circuit changing state, as seen by polling <c>/admin/health</c>.</summary>
public sealed record ChaosBreakerTransition(string Phase, double AtMs, string Deployment, string From, string To);
