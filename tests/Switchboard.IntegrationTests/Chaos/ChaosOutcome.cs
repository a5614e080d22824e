namespace Switchboard.IntegrationTests.Chaos;

/// <summary>What one request of the load got: verdict, status, latency, the gateway's attempt count and provider, and why.</summary>
public sealed record ChaosOutcome(
    string Phase,
    ChaosShape Shape,
    ChaosVerdict Verdict,
    int Status,
    double LatencyMs,
    int Attempts,
    string? Provider,
    string Detail);
