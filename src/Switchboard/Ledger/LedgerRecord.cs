using Switchboard.Chat;

namespace Switchboard.Ledger;

/// <summary>One row of the ledger: one attempt of one request (a fallback yields several; a cache hit yields one).</summary>
/// <remarks>Identified by (<see cref="RequestId"/>, <see cref="AttemptNumber"/>): stores ignore a second copy, so replay never double-counts.</remarks>
public sealed record LedgerRecord
{
    public required string RequestId { get; init; }
    public required int AttemptNumber { get; init; }
    /// <summary>When the attempt started (from the <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>The virtual key's id, never the key.</summary>
    public string? KeyId { get; init; }
    public string? Route { get; init; }
    public string? Task { get; init; }
    public required string Provider { get; init; }
    public required string Model { get; init; }
    /// <summary><c>provider/model</c>.</summary>
    public required string Deployment { get; init; }
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }
    public long? CachedInputTokens { get; init; }
    public long? ReasoningTokens { get; init; }
    /// <summary>What the attempt cost in USD; null when unknown (no usage or unknown prices).</summary>
    public decimal? CostUsd { get; init; }
    public required TimeSpan Latency { get; init; }
    public TimeSpan? TimeToFirstToken { get; init; }
    public bool Streamed { get; init; }
    /// <summary>Served from Switchboard's response cache.</summary>
    public bool CacheHit { get; init; }
    /// <summary>For a cache hit: what the call would have cost.</summary>
    public decimal? CostSavedUsd { get; init; }
    /// <summary>One of <see cref="LedgerOutcomes"/>.</summary>
    public required string Outcome { get; init; }
    /// <summary>The <see cref="ProviderErrorKind"/> name of a failed attempt.</summary>
    public string? ErrorKind { get; init; }
    /// <summary>The HTTP status the provider answered with, when it failed.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The ledger row for one router attempt.</summary>
    public static LedgerRecord FromAttempt(AttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var usage = attempt.Usage;
        return new LedgerRecord
        {
            RequestId = attempt.RequestId,
            AttemptNumber = attempt.AttemptNumber,
            Timestamp = attempt.StartedAt,
            KeyId = attempt.KeyId,
            Route = attempt.Route,
            Task = attempt.Task,
            Provider = attempt.Deployment.Provider,
            Model = attempt.Deployment.Model,
            Deployment = attempt.Deployment.Name,
            InputTokens = usage?.InputTokenCount,
            OutputTokens = usage?.OutputTokenCount,
            CachedInputTokens = usage?.CachedInputTokenCount,
            ReasoningTokens = usage?.ReasoningTokenCount,
            CostUsd = attempt.CostUsd,
            Latency = attempt.Duration,
            TimeToFirstToken = attempt.TimeToFirstToken,
            Streamed = attempt.Streamed,
            Outcome = attempt.Outcome switch
            {
                AttemptOutcome.Success => LedgerOutcomes.Success,
                AttemptOutcome.Cancelled => LedgerOutcomes.Cancelled,
                AttemptOutcome.Skipped => LedgerOutcomes.Skipped,
                _ => LedgerOutcomes.Error,
            },
            ErrorKind = attempt.ErrorKind?.ToString(),
            StatusCode = attempt.StatusCode,
        };
    }
}
