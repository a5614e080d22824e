using Microsoft.Extensions.AI;

namespace Switchboard.Chat;

/// <summary>What happened in one attempt of one request against one deployment. A fallback yields several.</summary>
public sealed record AttemptRecord
{
    public required string RequestId { get; init; }
    public required int AttemptNumber { get; init; }
    /// <summary>The GenAI operation (<c>chat</c>, <c>embeddings</c>): <c>gen_ai.operation.name</c> on its metrics.</summary>
    public string Operation { get; init; } = "chat";
    public required DateTimeOffset StartedAt { get; init; }
    public required Deployment Deployment { get; init; }
    public string? Route { get; init; }
    public string? Task { get; init; }
    public required AttemptOutcome Outcome { get; init; }
    public ProviderErrorKind? ErrorKind { get; init; }
    public int? StatusCode { get; init; }
    public string? ErrorMessage { get; init; }
    public required TimeSpan Duration { get; init; }
    public TimeSpan? TimeToFirstToken { get; init; }
    public bool Streamed { get; init; }
    /// <summary>Whether output of this attempt reached the caller (a stream past its first chunk).</summary>
    public bool OutputCommitted { get; init; }
    public UsageDetails? Usage { get; init; }
    public decimal? CostUsd { get; init; }
    /// <summary>Why the router moved on from the previous attempt (its error kind), for the second attempt onwards.</summary>
    public string? FallbackReason { get; init; }
    /// <summary>The caller's identity for accounting (a virtual key id, never a key).</summary>
    public string? KeyId { get; init; }
}
