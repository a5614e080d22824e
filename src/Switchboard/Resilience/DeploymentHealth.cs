using Switchboard.Chat;

namespace Switchboard.Resilience;

/// <summary>A snapshot of one deployment's health, as the router, the gateway and the dashboard see it.</summary>
public sealed record DeploymentHealth
{
    public required string Deployment { get; init; }
    public required string Provider { get; init; }
    public required string Model { get; init; }
    /// <summary><c>closed</c>, <c>open</c>, <c>half-open</c> or <c>isolated</c>.</summary>
    public required string Circuit { get; init; }
    public long Requests { get; init; }
    public long Failures { get; init; }
    /// <summary>Success rate of recent calls (exponentially weighted), 1 when nothing is known.</summary>
    public double SuccessRate { get; init; } = 1;
    public double? LatencyMs { get; init; }
    public double? TimeToFirstTokenMs { get; init; }
    /// <summary>Requests left in the current minute, when a limit is configured.</summary>
    public long? RequestsHeadroom { get; init; }
    /// <summary>Tokens left in the current minute, when a limit is configured.</summary>
    public long? TokensHeadroom { get; init; }
    public ProviderErrorKind? LastErrorKind { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastErrorAt { get; init; }
}
