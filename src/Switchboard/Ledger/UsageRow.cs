namespace Switchboard.Ledger;

/// <summary>One group of a usage report (or its total).</summary>
/// <remarks>
/// <see cref="Requests"/> counts distinct request ids, <see cref="Attempts"/> ledger rows. <see cref="ErrorRate"/> is failed
/// attempts over attempts. Latency percentiles are over successful attempts that reached a provider (cache hits excluded),
/// interpolated linearly between ranks (the definition of PostgreSQL's <c>percentile_cont</c>), in milliseconds.
/// </remarks>
public sealed record UsageRow
{
    public required string Group { get; init; }
    public long Requests { get; init; }
    public long Attempts { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CachedInputTokens { get; init; }
    public long ReasoningTokens { get; init; }
    public decimal CostUsd { get; init; }
    public long CacheHits { get; init; }
    public decimal CostSavedUsd { get; init; }
    public long Errors { get; init; }
    public double ErrorRate { get; init; }
    public double? LatencyP50Ms { get; init; }
    public double? LatencyP95Ms { get; init; }
    public double? LatencyP99Ms { get; init; }
}
