using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.IntegrationTests.Gateway;
using Switchboard.Pricing;

namespace Switchboard.IntegrationTests.Ledger;

/// <summary>
/// Budget enforcement through the real gateway: 100 HTTP requests released at once against a route budget that allows about
/// ten, each request's worst case close to its real cost (small max_tokens, which the emulator honours). Without a
/// reservation every request would pass the check and the spend would reach ten times the limit.
/// </summary>
public sealed class GatewayBudgetRaceTests
{
    private const int Requests = 100, Allowed = 10, MaxTokens = 16;

    [Fact(Timeout = 120_000)]
    public async Task HundredConcurrentRequests_OverrunTheRouteBudgetByAtMostOneRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        var info = ModelCatalog.LoadEmbedded().Models.Single(m => m.Provider == "openai" && m.Id == "gpt-4.1-mini");
        var worst = CostCalculator.Estimate(info, TokenEstimator.Default.CountInput([new ChatMessage(ChatRole.User, Prompt(0))],
            new ChatOptions { MaxOutputTokens = MaxTokens }), MaxTokens);
        var limit = worst * Allowed;
        await using var gateway = await GatewayFixture.StartAsync(c =>
        {
            c["Switchboard:Models:budgeted:Targets:0"] = "openai/gpt-4.1-mini";
            c["Switchboard:Budgets:0:Name"] = "race";
            c["Switchboard:Budgets:0:Scope"] = "route";
            c["Switchboard:Budgets:0:Target"] = "budgeted";
            c["Switchboard:Budgets:0:Window"] = "total";
            c["Switchboard:Budgets:0:LimitUsd"] = limit.ToString(CultureInfo.InvariantCulture);
            c["Switchboard:Budgets:0:AlertThresholds:0"] = "1.0";
        });

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, Requests).Select(async i =>
        {
            await gate.Task;
            using var body = new StringContent(JsonSerializer.Serialize(new
            {
                model = "budgeted",
                max_tokens = MaxTokens,
                messages = new[] { new { role = "user", content = Prompt(i) } },
            }), Encoding.UTF8, "application/json");
            using var response = await gateway.Http.PostAsync("v1/chat/completions", body, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var cost = response.Headers.TryGetValues("x-switchboard-cost-usd", out var v) ? decimal.Parse(v.First(), CultureInfo.InvariantCulture) : 0m;
            return (response.StatusCode, text, cost);
        }).ToList();
        gate.SetResult();
        var results = await Task.WhenAll(calls);

        var answered = results.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        var refused = results.Where(r => r.StatusCode == HttpStatusCode.PaymentRequired).ToList();
        Assert.Equal(Requests, answered.Count + refused.Count);
        Assert.All(refused, r => Assert.Contains("budget_exceeded", r.text, StringComparison.Ordinal));
        Assert.InRange(answered.Count, 1, Allowed + 1);
        var spent = answered.Sum(r => r.cost);
        TestContext.Current.TestOutputHelper?.WriteLine($"limit {limit}, worst case {worst}: {answered.Count} answered, {refused.Count} refused, spent {spent}");
        Assert.True(spent > 0m);
        Assert.True(spent <= limit + answered.Max(r => r.cost), $"spent {spent} overran the limit {limit} by more than one request");

        // The ledger agrees, and nothing stays reserved once every request has settled.
        await LedgerSamples.WaitUntilAsync(async () =>
        {
            var status = await BudgetAsync(gateway, ct);
            return status.Spent == spent && status.Reserved == 0m;
        }, TimeSpan.FromSeconds(20), $"/admin/budgets to show {spent} spent and nothing reserved");
    }

    private static string Prompt(int i) => $"budget race request {i:000}: say something short";

    private static async Task<(decimal Spent, decimal Reserved)> BudgetAsync(GatewayFixture gateway, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(await gateway.Http.GetStringAsync("admin/budgets", ct));
        var budget = Assert.Single(doc.RootElement.EnumerateArray());
        decimal Field(string name) => budget.EnumerateObject()
            .Single(p => string.Equals(p.Name.Replace("_", "", StringComparison.Ordinal), name, StringComparison.OrdinalIgnoreCase)).Value.GetDecimal();
        return (Field("SpentUsd"), Field("ReservedUsd"));
    }
}
