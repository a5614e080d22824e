using Switchboard.Ledger;

namespace Switchboard.Gateway.Dashboard;

/// <summary>
/// Buckets ledger rows (one per attempt) into <see cref="ProviderSeries"/>: every attempt counts for the provider it
/// was sent to, so a fallback shows as an error on the first provider and a request on the second. Pure: no I/O.
/// </summary>
internal static class ProviderSeriesBuilder
{
    /// <summary>The most recent requests the charts are drawn from (what <see cref="IRecentLedgerReader"/> returns at most).</summary>
    public const int MaxRequests = 500;

    public static ProviderSeries Build(IReadOnlyList<LedgerRecord> rows, DateTimeOffset since, DateTimeOffset until, int buckets, bool truncated)
    {
        var width = (until - since) / buckets;
        // Calls that reached a provider: not guardrail rows (blocked, flagged), skipped deployments or cache hits.
        var inWindow = rows.Where(r => r.Timestamp >= since && r.Timestamp <= until && !r.CacheHit &&
            r.Outcome is LedgerOutcomes.Success or LedgerOutcomes.Error or LedgerOutcomes.Cancelled).ToList();
        var lines = inWindow
            .GroupBy(r => r.Provider, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var slots = new List<LedgerRecord>[buckets];
                foreach (var row in g)
                {
                    var index = Math.Clamp((int)((row.Timestamp - since) / width), 0, buckets - 1);
                    (slots[index] ??= []).Add(row);
                }

                return new ProviderSeriesLine(g.Key, [.. slots.Select((slot, i) => Bucket(since + (width * i), slot ?? []))]);
            })
            .ToList();
        return new ProviderSeries(since, until, width.TotalSeconds, inWindow.Select(r => r.RequestId).Distinct(StringComparer.Ordinal).Count(),
            truncated, lines);
    }

    private static SeriesBucket Bucket(DateTimeOffset start, List<LedgerRecord> rows)
    {
        var succeeded = rows.Where(r => r.Outcome == LedgerOutcomes.Success).ToList();
        var latencies = succeeded.Select(r => r.Latency.TotalMilliseconds).Order().ToList();
        var ttft = succeeded.Where(r => r.TimeToFirstToken is not null).Select(r => r.TimeToFirstToken!.Value.TotalMilliseconds).Order().ToList();
        return new SeriesBucket(start, rows.Count, rows.Count(r => r.Outcome == LedgerOutcomes.Error),
            UsageAggregator.Percentile(latencies, 0.50), UsageAggregator.Percentile(latencies, 0.95), UsageAggregator.Percentile(ttft, 0.50));
    }
}
