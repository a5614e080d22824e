using System.Globalization;

namespace Switchboard.Ledger;

/// <summary>Folds ledger rows into a <see cref="UsageReport"/>: exact decimal sums, and percentiles computed in C#.</summary>
/// <remarks>Both stores report through it so their answers agree to the cent and to the millisecond.</remarks>
internal sealed class UsageAggregator(UsageQuery query)
{
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly Group _total = new();

    public void Add(LedgerRecord record)
    {
        var key = GroupKey(query.By, record);
        if (!_groups.TryGetValue(key, out var group))
        {
            group = new Group();
            _groups.Add(key, group);
        }

        group.Add(record);
        _total.Add(record);
    }

    public UsageReport Build() => new()
    {
        By = query.By,
        Since = query.Since,
        Until = query.Until,
        Rows = [.. _groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Value.ToRow(g.Key))],
        Total = _total.ToRow("total"),
    };

    /// <summary>The percentile the way PostgreSQL's <c>percentile_cont</c> defines it: linear between the closest ranks.</summary>
    internal static double? Percentile(List<double> sorted, double fraction)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = fraction * (sorted.Count - 1);
        var lower = (int)Math.Floor(rank);
        var upper = (int)Math.Ceiling(rank);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (rank - lower));
    }

    private static string GroupKey(UsageGrouping by, LedgerRecord r) => by switch
    {
        UsageGrouping.Provider => r.Provider,
        UsageGrouping.Model => r.Model,
        UsageGrouping.Key => r.KeyId ?? "(none)",
        UsageGrouping.Route => r.Route ?? "(none)",
        _ => r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    private sealed class Group
    {
        private readonly HashSet<string> _requests = new(StringComparer.Ordinal);
        private readonly List<double> _latencies = [];
        private long _attempts, _input, _output, _cached, _reasoning, _cacheHits, _errors;
        private decimal _cost, _saved;

        public void Add(LedgerRecord r)
        {
            _requests.Add(r.RequestId);
            _attempts++;
            _input += r.InputTokens ?? 0;
            _output += r.OutputTokens ?? 0;
            _cached += r.CachedInputTokens ?? 0;
            _reasoning += r.ReasoningTokens ?? 0;
            _cost += r.CostUsd ?? 0m;
            _saved += r.CostSavedUsd ?? 0m;
            if (r.CacheHit)
            {
                _cacheHits++;
            }

            if (r.Outcome == LedgerOutcomes.Error)
            {
                _errors++;
            }
            else if (r.Outcome == LedgerOutcomes.Success && !r.CacheHit)
            {
                _latencies.Add(r.Latency.TotalMilliseconds);
            }
        }

        public UsageRow ToRow(string key)
        {
            _latencies.Sort();
            return new UsageRow
            {
                Group = key,
                Requests = _requests.Count,
                Attempts = _attempts,
                InputTokens = _input,
                OutputTokens = _output,
                CachedInputTokens = _cached,
                ReasoningTokens = _reasoning,
                CostUsd = _cost,
                CacheHits = _cacheHits,
                CostSavedUsd = _saved,
                Errors = _errors,
                ErrorRate = _attempts == 0 ? 0 : (double)_errors / _attempts,
                LatencyP50Ms = Percentile(_latencies, 0.50),
                LatencyP95Ms = Percentile(_latencies, 0.95),
                LatencyP99Ms = Percentile(_latencies, 0.99),
            };
        }
    }
}
