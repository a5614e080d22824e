using Microsoft.Extensions.AI;
using Switchboard.Ledger;
using Switchboard.Pricing;

namespace Switchboard.IntegrationTests.Ledger;

internal static class LedgerSamples
{
    public static readonly DateTimeOffset Start = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    public static LedgerRecord Record(string requestId, int attempt = 1, DateTimeOffset? at = null, decimal? cost = 0.01m,
        string provider = "openai", string model = "gpt-4o", string? key = "key-a", string outcome = LedgerOutcomes.Success,
        double latencyMs = 100) => new()
    {
        RequestId = requestId,
        AttemptNumber = attempt,
        Timestamp = at ?? Start,
        KeyId = key,
        Route = "smart",
        Task = "general",
        Provider = provider,
        Model = model,
        Deployment = provider + "/" + model,
        InputTokens = 100,
        OutputTokens = 50,
        CostUsd = cost,
        Latency = TimeSpan.FromMilliseconds(latencyMs),
        Outcome = outcome,
        ErrorKind = outcome == LedgerOutcomes.Error ? "Overloaded" : null,
        StatusCode = outcome == LedgerOutcomes.Error ? 529 : null,
    };

    /// <summary>Realistic priced records over several providers, models, keys and days, each costed by the <see cref="CostCalculator"/>.</summary>
    public static List<(LedgerRecord Record, ModelInfo Model, UsageDetails Usage)> Priced(string prefix, int count)
    {
        var catalog = ModelCatalog.LoadEmbedded();
        var models = catalog.Models.Take(6).ToArray();
        var random = new Random(42);
        var list = new List<(LedgerRecord, ModelInfo, UsageDetails)>();
        for (var i = 0; i < count; i++)
        {
            var model = models[i % models.Length];
            var input = random.Next(1, 200_000);
            var usage = new UsageDetails
            {
                InputTokenCount = input,
                OutputTokenCount = random.Next(0, 8_000),
                CachedInputTokenCount = i % 3 == 0 ? random.Next(0, input) : null,
                ReasoningTokenCount = i % 4 == 0 ? random.Next(0, 500) : null,
            };
            var cost = CostCalculator.Compute(model, usage);
            list.Add((new LedgerRecord
            {
                RequestId = $"{prefix}-{i}",
                AttemptNumber = 1,
                Timestamp = Start.AddHours(i * 7 % 72),
                KeyId = $"key-{i % 3}",
                Route = i % 2 == 0 ? "smart" : "fast",
                Provider = model.Provider,
                Model = model.Id,
                Deployment = model.Provider + "/" + model.Id,
                InputTokens = usage.InputTokenCount,
                OutputTokens = usage.OutputTokenCount,
                CachedInputTokens = usage.CachedInputTokenCount,
                ReasoningTokens = usage.ReasoningTokenCount,
                CostUsd = cost,
                Latency = TimeSpan.FromMilliseconds(random.Next(50, 5000)),
                Outcome = LedgerOutcomes.Success,
            }, model, usage));
        }

        return list;
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds}s waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }
}
