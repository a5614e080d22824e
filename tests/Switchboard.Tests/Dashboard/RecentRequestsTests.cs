using Switchboard.Gateway.Dashboard;
using Switchboard.Ledger;

namespace Switchboard.Tests.Dashboard;

public sealed class RecentRequestsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static LedgerRecord Row(string id, int attempt, string provider, string model, string outcome, double startMs, double latencyMs,
        decimal? cost, long? input = 10, long? output = 20) => new()
    {
        RequestId = id,
        AttemptNumber = attempt,
        Timestamp = T0.AddMilliseconds(startMs),
        KeyId = "key-1",
        Route = "smart",
        Provider = provider,
        Model = model,
        Deployment = provider + "/" + model,
        InputTokens = input,
        OutputTokens = output,
        CostUsd = cost,
        Latency = TimeSpan.FromMilliseconds(latencyMs),
        Outcome = outcome,
        ErrorKind = outcome == LedgerOutcomes.Error ? "Overloaded" : null,
        StatusCode = outcome == LedgerOutcomes.Error ? 529 : null,
    };

    [Fact]
    public void From_Fallback_NamesTheServingDeploymentAndKeepsTheFailedAttempt()
    {
        var request = Assert.Single(RecentRequests.From(
        [
            Row("r1", 1, "anthropic", "claude-sonnet-4-6", LedgerOutcomes.Error, 0, 40, null, input: null, output: null),
            Row("r1", 2, "openai", "gpt-4.1", LedgerOutcomes.Success, 50, 100, 0.0012m),
        ]));

        Assert.Equal(("openai", "gpt-4.1", "openai/gpt-4.1", LedgerOutcomes.Success), (request.Provider, request.Model, request.Deployment, request.Outcome));
        Assert.Equal(0.0012m, request.CostUsd);
        Assert.Equal((10L, 20L), (request.InputTokens!.Value, request.OutputTokens!.Value));
        Assert.Equal(150, request.LatencyMs, 3); // first start to last end
        Assert.Equal(["anthropic/claude-sonnet-4-6", "openai/gpt-4.1"], request.Attempts.Select(a => a.Deployment));
        Assert.Equal(("Overloaded", 529), (request.Attempts[0].ErrorKind, request.Attempts[0].StatusCode!.Value));
    }

    [Fact]
    public void From_EveryAttemptFailed_ReportsTheLastAttemptsOutcomeAndUnknownCost()
    {
        var request = Assert.Single(RecentRequests.From(
        [
            Row("r2", 2, "openai", "gpt-4.1", LedgerOutcomes.Error, 50, 10, null),
            Row("r2", 1, "anthropic", "claude-sonnet-4-6", LedgerOutcomes.Error, 0, 10, null),
        ]));

        Assert.Equal(("openai/gpt-4.1", LedgerOutcomes.Error), (request.Deployment, request.Outcome));
        Assert.Null(request.CostUsd);
        Assert.Equal([1, 2], request.Attempts.Select(a => a.Number));
    }

    [Fact]
    public void From_KeepsTheStoresRequestOrder()
    {
        var requests = RecentRequests.From(
        [
            Row("newer", 1, "gemini", "gemini-2.5-flash", LedgerOutcomes.Success, 500, 10, 0.001m),
            Row("older", 1, "openai", "gpt-4.1", LedgerOutcomes.Success, 0, 10, 0.002m),
        ]);

        Assert.Equal(["newer", "older"], requests.Select(r => r.RequestId));
    }
}
