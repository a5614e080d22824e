using Switchboard.Ledger;

namespace Switchboard.Benchmarks.Ledger;

/// <summary>The ledger record the ledger benchmarks write: one successful attempt, as the gateway records it.</summary>
internal static class BenchRecords
{
    public static LedgerRecord Attempt(string id, DateTimeOffset? at = null) => new()
    {
        RequestId = id,
        AttemptNumber = 1,
        Timestamp = at ?? new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero),
        KeyId = "key-bench",
        Route = "auto",
        Task = "general",
        Provider = "openai",
        Model = "gpt-4.1-mini",
        Deployment = "openai/gpt-4.1-mini",
        InputTokens = 32,
        OutputTokens = 61,
        CostUsd = 0.0001104m,
        Latency = TimeSpan.FromMilliseconds(2.2),
        Outcome = LedgerOutcomes.Success,
    };
}
