using Switchboard.Gateway.Dashboard;
using Switchboard.Ledger;

namespace Switchboard.Tests.Dashboard;

public sealed class ProviderSeriesBuilderTests
{
    private static readonly DateTimeOffset Since = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Until = Since.AddMinutes(10);

    private static LedgerRecord Row(string id, string provider, string outcome, double minute, double latencyMs, double? ttftMs = null,
        bool cacheHit = false) => new()
    {
        RequestId = id,
        AttemptNumber = 1,
        Timestamp = Since.AddMinutes(minute),
        Provider = provider,
        Model = "m",
        Deployment = provider + "/m",
        Latency = TimeSpan.FromMilliseconds(latencyMs),
        TimeToFirstToken = ttftMs is { } t ? TimeSpan.FromMilliseconds(t) : null,
        CacheHit = cacheHit,
        Outcome = outcome,
    };

    [Fact]
    public void Build_BucketsEachProvidersAttempts_WithErrorsPercentilesAndTimeToFirstToken()
    {
        var series = ProviderSeriesBuilder.Build(
        [
            Row("a", "openai", LedgerOutcomes.Success, 0.5, 100),
            Row("b", "openai", LedgerOutcomes.Success, 1.5, 300, ttftMs: 40),
            Row("c", "openai", LedgerOutcomes.Success, 1.9, 200, ttftMs: 60),
            Row("d", "anthropic", LedgerOutcomes.Error, 9.99, 30),
        ], Since, Until, buckets: 5, truncated: false);

        Assert.Equal(120, series.BucketSeconds);
        Assert.Equal(4, series.Requests);
        Assert.Equal(["anthropic", "openai"], series.Providers.Select(p => p.Provider));
        var openai = series.Providers[1].Buckets;
        Assert.Equal(5, openai.Count);
        Assert.Equal(Since.AddMinutes(2), openai[1].Start);
        Assert.Equal((3, 0), (openai[0].Requests, openai[0].Errors));
        Assert.Equal(200, openai[0].LatencyP50Ms);
        Assert.Equal(290, openai[0].LatencyP95Ms!.Value, 6); // 200 + 0.9 * (300 - 200)
        Assert.Equal(50, openai[0].TimeToFirstTokenMs);
        Assert.All(openai.Skip(1), b => Assert.Equal((0, null), (b.Requests, b.LatencyP50Ms)));
        var anthropic = series.Providers[0].Buckets;
        Assert.Equal((1, 1, null), (anthropic[4].Requests, anthropic[4].Errors, anthropic[4].LatencyP50Ms));
    }

    [Fact]
    public void Build_LeavesOutRowsOutsideTheWindow_CacheHitsAndGuardrailRows()
    {
        var series = ProviderSeriesBuilder.Build(
        [
            Row("old", "openai", LedgerOutcomes.Success, -1, 100),
            Row("hit", "openai", LedgerOutcomes.Success, 2, 1, cacheHit: true),
            Row("blocked", "guardrails", LedgerOutcomes.Blocked, 3, 0),
            Row("flagged", "guardrails", LedgerOutcomes.Flagged, 3, 0),
            Row("in", "gemini", LedgerOutcomes.Success, 4, 80),
        ], Since, Until, buckets: 10, truncated: true);

        Assert.True(series.Truncated);
        Assert.Equal(1, series.Requests);
        var gemini = Assert.Single(series.Providers);
        Assert.Equal("gemini", gemini.Provider);
        Assert.Equal(1, gemini.Buckets.Sum(b => b.Requests));
    }
}
