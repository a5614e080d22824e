using Switchboard.Chat;

namespace Switchboard.Ledger;

/// <summary>
/// The rows only the pipeline knows, the same for chat and embeddings: a cache hit (attempt 1, no cost, the saving), and
/// attempt 0 of a request a layer refused (a guardrail, a budget) or flagged (guardrails that let it through).
/// </summary>
internal static class PipelineRecords
{
    /// <summary>The provider column of a cache hit without a known origin.</summary>
    private const string CacheProvider = "cache";

    public static LedgerRecord CacheHit(SwitchboardContext context, string? route, DateTimeOffset now, TimeSpan latency)
    {
        var hit = context.Cache;
        return new LedgerRecord
        {
            RequestId = context.RequestId,
            AttemptNumber = 1,
            Timestamp = now,
            KeyId = context.Caller?.KeyId,
            Route = route,
            Task = context.Route.Task,
            Provider = hit?.Provider ?? CacheProvider,
            Model = hit?.Model ?? "",
            Deployment = $"{hit?.Provider}/{hit?.Model}",
            CacheHit = true,
            CostUsd = 0m,
            CostSavedUsd = hit?.SavedCostUsd,
            Latency = latency,
            Outcome = LedgerOutcomes.Success,
            Streamed = context.Streamed,
        };
    }

    public static LedgerRecord Refused(SwitchboardContext context, string? route, RequestRefusedException refused, DateTimeOffset now, TimeSpan latency) =>
        Attempt0(context, route, refused.Refuser, refused.Rule, refused.Outcome, now, latency) with
        {
            ErrorKind = refused.Kind.ToString(),
            StatusCode = refused.StatusCode,
        };

    public static LedgerRecord Flagged(SwitchboardContext context, string? route, string guards, DateTimeOffset now) =>
        Attempt0(context, route, "guardrails", guards, LedgerOutcomes.Flagged, now, TimeSpan.Zero);

    /// <summary>Appends what a request that was answered adds to the attempts the router recorded (a cache hit's row,
    /// the guardrails' flag row) and flushes: the answer returns once its records are durable.</summary>
    public static Task CompleteAsync(LedgerWriter ledger, SwitchboardContext context, string? route, DateTimeOffset now, TimeSpan latency)
    {
        if (context.CacheStatus == CacheStatus.Hit)
        {
            ledger.Append(CacheHit(context, route, now, latency));
        }

        if (context.GuardrailsTriggered is { Count: > 0 } guards)
        {
            ledger.Append(Flagged(context, route, string.Join(',', guards), now));
        }

        return ledger.FlushAsync(CancellationToken.None);
    }

    private static LedgerRecord Attempt0(SwitchboardContext context, string? route, string refuser, string rule, string outcome,
        DateTimeOffset now, TimeSpan latency) => new()
    {
        RequestId = context.RequestId,
        AttemptNumber = 0,
        Timestamp = now - latency,
        KeyId = context.Caller?.KeyId,
        Route = route,
        Task = context.Route.Task,
        Provider = refuser,
        Model = rule,
        Deployment = $"{refuser}/{rule}",
        CostUsd = 0m,
        Latency = latency,
        Streamed = context.Streamed,
        Outcome = outcome,
    };
}
