using Switchboard.Ledger;

namespace Switchboard.IntegrationTests.Ledger;

public abstract partial class LedgerStoreTestsBase
{
    [Fact(Timeout = 30_000)]
    public async Task Recent_ReturnsNewestRequestsFirst_WithEveryAttemptInOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        var t = LedgerSamples.Start;
        await Store.AppendAsync(
        [
            LedgerSamples.Record("old", at: t),
            LedgerSamples.Record("fallback", attempt: 2, at: t.AddSeconds(2), provider: "openai", model: "gpt-4.1"),
            LedgerSamples.Record("fallback", attempt: 1, at: t.AddSeconds(1), provider: "anthropic", model: "claude-sonnet-4-6",
                outcome: LedgerOutcomes.Error, cost: null),
            LedgerSamples.Record("newest", at: t.AddSeconds(3)),
        ], ct);

        var reader = Assert.IsAssignableFrom<IRecentLedgerReader>(Store);
        var rows = await reader.RecentAsync(2, ct);

        Assert.Equal(["newest", "fallback", "fallback"], rows.Select(r => r.RequestId));
        Assert.Equal([1, 2], rows.Where(r => r.RequestId == "fallback").Select(r => r.AttemptNumber));
        var failed = rows.Single(r => r.RequestId == "fallback" && r.AttemptNumber == 1);
        Assert.Equal(("anthropic/claude-sonnet-4-6", "Overloaded", 529), (failed.Deployment, failed.ErrorKind, failed.StatusCode));
        Assert.Null(failed.CostUsd);
        Assert.Equal(3, (await reader.RecentAsync(10, ct)).Select(r => r.RequestId).Distinct().Count());
    }
}
