using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Switchboard.Ledger;

/// <summary>Usage grouped by provider, model, key, route or day, with a total; as JSON or CSV.</summary>
public sealed record UsageReport
{
    public required UsageGrouping By { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public required IReadOnlyList<UsageRow> Rows { get; init; }
    public required UsageRow Total { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, LedgerJsonContext.Default.UsageReport);

    /// <summary>One header line, then one line per row, then the total (group <c>total</c>).</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.Append(By.ToString().ToLowerInvariant())
          .Append(",requests,attempts,input_tokens,output_tokens,cached_input_tokens,reasoning_tokens,cost_usd,cache_hits,")
          .Append("cost_saved_usd,errors,error_rate,latency_p50_ms,latency_p95_ms,latency_p99_ms\n");
        foreach (var row in Rows)
        {
            AppendRow(sb, row);
        }

        AppendRow(sb, Total);
        return sb.ToString();
    }

    private static void AppendRow(StringBuilder sb, UsageRow r)
    {
        var c = CultureInfo.InvariantCulture;
        sb.Append(Escape(r.Group)).Append(',')
          .Append(r.Requests.ToString(c)).Append(',')
          .Append(r.Attempts.ToString(c)).Append(',')
          .Append(r.InputTokens.ToString(c)).Append(',')
          .Append(r.OutputTokens.ToString(c)).Append(',')
          .Append(r.CachedInputTokens.ToString(c)).Append(',')
          .Append(r.ReasoningTokens.ToString(c)).Append(',')
          .Append(r.CostUsd.ToString(c)).Append(',')
          .Append(r.CacheHits.ToString(c)).Append(',')
          .Append(r.CostSavedUsd.ToString(c)).Append(',')
          .Append(r.Errors.ToString(c)).Append(',')
          .Append(r.ErrorRate.ToString("0.####", c)).Append(',')
          .Append(r.LatencyP50Ms?.ToString("0.###", c)).Append(',')
          .Append(r.LatencyP95Ms?.ToString("0.###", c)).Append(',')
          .Append(r.LatencyP99Ms?.ToString("0.###", c)).Append('\n');
    }

    private static string Escape(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}
