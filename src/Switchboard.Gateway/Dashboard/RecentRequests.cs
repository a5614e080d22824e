using Switchboard.Ledger;

namespace Switchboard.Gateway.Dashboard;

/// <summary>Folds ledger rows (one per attempt) into <see cref="RecentRequest"/>s.</summary>
internal static class RecentRequests
{
    public static IReadOnlyList<RecentRequest> From(IReadOnlyList<LedgerRecord> rows) =>
        rows.GroupBy(r => r.RequestId, StringComparer.Ordinal).Select(ToRequest).ToList();

    private static RecentRequest ToRequest(IGrouping<string, LedgerRecord> group)
    {
        var attempts = group.OrderBy(r => r.AttemptNumber).ToList();
        var served = attempts.LastOrDefault(r => r.Outcome == LedgerOutcomes.Success) ?? attempts[^1];
        var start = attempts.Min(r => r.Timestamp);
        var end = attempts.Max(r => r.Timestamp + r.Latency);
        var costs = attempts.Where(r => r.CostUsd is not null).Select(r => r.CostUsd!.Value).ToList();
        return new RecentRequest
        {
            RequestId = group.Key,
            Timestamp = start,
            KeyId = served.KeyId,
            Route = served.Route,
            Task = served.Task,
            Provider = served.Provider,
            Model = served.Model,
            Deployment = served.Deployment,
            Outcome = served.Outcome,
            CacheHit = served.CacheHit,
            Streamed = served.Streamed,
            InputTokens = Sum(attempts, r => r.InputTokens),
            OutputTokens = Sum(attempts, r => r.OutputTokens),
            CostUsd = costs.Count == 0 ? null : costs.Sum(),
            LatencyMs = (end - start).TotalMilliseconds,
            TimeToFirstTokenMs = served.TimeToFirstToken?.TotalMilliseconds,
            Attempts = [.. attempts.Select(r => new RecentAttempt(r.AttemptNumber, r.Deployment, r.Outcome, r.ErrorKind, r.StatusCode,
                r.Latency.TotalMilliseconds))],
        };
    }

    private static long? Sum(List<LedgerRecord> rows, Func<LedgerRecord, long?> value) =>
        rows.Any(r => value(r) is not null) ? rows.Sum(r => value(r) ?? 0) : null;
}
