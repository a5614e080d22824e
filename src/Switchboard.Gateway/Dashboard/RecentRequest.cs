namespace Switchboard.Gateway.Dashboard;

/// <summary>One recent request as the dashboard shows it: who served it, what it cost, and every attempt it took.</summary>
/// <remarks>Built from ledger rows, so it names the virtual key by id only, never the key.</remarks>
internal sealed record RecentRequest
{
    public required string RequestId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public string? KeyId { get; init; }
    public string? Route { get; init; }
    public string? Task { get; init; }
    /// <summary>The provider of the attempt that succeeded, else of the last attempt.</summary>
    public required string Provider { get; init; }
    public required string Model { get; init; }
    public required string Deployment { get; init; }
    /// <summary><c>success</c> when an attempt succeeded, else the last attempt's outcome.</summary>
    public required string Outcome { get; init; }
    public bool CacheHit { get; init; }
    public bool Streamed { get; init; }
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }
    /// <summary>The sum over attempts; null when no attempt's cost is known.</summary>
    public decimal? CostUsd { get; init; }
    /// <summary>From the first attempt's start to the last attempt's end.</summary>
    public double LatencyMs { get; init; }
    public double? TimeToFirstTokenMs { get; init; }
    public required IReadOnlyList<RecentAttempt> Attempts { get; init; }
}

/// <summary>One attempt of a <see cref="RecentRequest"/>.</summary>
internal sealed record RecentAttempt(int Number, string Deployment, string Outcome, string? ErrorKind, int? StatusCode, double LatencyMs);
