using Switchboard.Resilience;

namespace Switchboard.Gateway.Endpoints;

/// <summary>The original design's stream request.</summary>
internal sealed record ChatStreamRequest(string? Message, string? SystemPrompt, string? TaskType, bool PreferCost, string? Model,
    float? Temperature, int? MaxTokens);

/// <summary><c>GET /v1/models</c> in OpenAI's list shape.</summary>
internal sealed record ModelList(string Object, IReadOnlyList<ModelEntry> Data);

internal sealed record ModelEntry(string Id, string Object, long Created, string OwnedBy);

/// <summary><c>/readyz</c>: each dependency and each deployment.</summary>
internal sealed record ReadinessReport(string Status, IReadOnlyDictionary<string, string> Checks, IReadOnlyList<DeploymentHealth> Deployments);

/// <summary><c>/readyz</c> for a caller without the master key: the status only.</summary>
internal sealed record ReadinessStatus(string Status);
