using Microsoft.Extensions.AI;
using Switchboard.Budgets;
using Switchboard.Caching;
using Switchboard.Chat;
using Switchboard.Gateway.Auth;
using Switchboard.Gateway.Edges;
using Switchboard.Guardrails;
using Switchboard.Ledger;
using Switchboard.Pricing;
using Switchboard.Routing;

namespace Switchboard.Gateway.Http;

/// <summary>
/// The money side of a request at the edge: reserve the worst case against the budgets before routing, journal the
/// final record durably before the client receives the last bytes (so a crash cannot lose a request the client saw
/// complete), and settle the reservation with the real cost afterwards.
/// </summary>
internal sealed class RequestAccounting(LedgerWriter ledger, BudgetManager budgets, RouteTable routes, TokenEstimator estimator, TimeProvider time)
{
    /// <summary>Reserves the worst case (counted input + max output at the dearest candidate's prices); null when no budget is configured.</summary>
    public async Task<BudgetReservation?> ReserveAsync(EdgeRequest request, Caller caller, CancellationToken cancellationToken)
    {
        if (budgets.Budgets.Count == 0)
        {
            return null;
        }

        Route route;
        try
        {
            route = routes.Resolve(request.Model);
        }
        catch (ProviderException)
        {
            return null; // the router answers 404 for it
        }

        var input = estimator.CountInput(request.Messages, request.Options);
        var worst = route.Deployments
            .Where(d => d.Info is not null)
            .Select(d => CostCalculator.Estimate(d.Info!, input, Math.Min(request.Options.MaxOutputTokens ?? d.Info!.MaxOutputTokens, d.Info!.MaxOutputTokens)))
            .DefaultIfEmpty(0m)
            .Max();
        return await budgets.ReserveAsync(new BudgetScopeSet(caller.Key?.Id, route.Name, request.Model), worst, cancellationToken);
    }

    /// <summary>Journals the request's final record (flushed to disk) before its last bytes are sent.</summary>
    public Task RecordFinalAsync(string requestId, Caller caller, RoutingResult? result, IReadOnlyDictionary<string, object?>? properties,
        string? cacheStatus, bool streamed, TimeSpan latency)
    {
        if (cacheStatus == CacheStatus.Hit && properties is not null)
        {
            var provider = properties.TryGetValue(CacheProperties.Provider, out var p) ? p as string : null;
            var model = properties.TryGetValue(CacheProperties.Model, out var m) ? m as string : null;
            return ledger.RecordDurablyAsync(new LedgerRecord
            {
                RequestId = requestId,
                AttemptNumber = 1,
                Timestamp = time.GetUtcNow(),
                KeyId = caller.Key?.Id,
                Provider = provider ?? "cache",
                Model = model ?? "",
                Deployment = $"{provider}/{model}",
                CacheHit = true,
                CostUsd = 0m,
                CostSavedUsd = properties.TryGetValue(CacheProperties.SavedCostUsd, out var saved) ? saved as decimal? : null,
                Latency = latency,
                Outcome = LedgerOutcomes.Success,
                Streamed = streamed,
            });
        }

        return result?.Attempts is { Count: > 0 } attempts
            ? ledger.RecordDurablyAsync(LedgerRecord.FromAttempt(attempts[^1]))
            : Task.CompletedTask;
    }

    /// <summary>
    /// Journals a guardrail block as attempt 0 of the request (provider <c>guardrails</c>, model = the guard): an input
    /// block never reaches the router, so this is its only record; an output block sits beside the router's attempts.
    /// </summary>
    public Task RecordBlockedAsync(string requestId, Caller caller, EdgeRequest request, GuardrailBlockedException blocked, bool streamed, TimeSpan latency) =>
        ledger.RecordDurablyAsync(GuardrailRecord(requestId, caller, request, blocked.Guard, LedgerOutcomes.Blocked, streamed, latency) with
        {
            ErrorKind = nameof(ProviderErrorKind.ContentFiltered),
            StatusCode = 400,
        });

    /// <summary>Queues attempt 0 of a request the guardrails flagged or redacted and let through (model = the guards).</summary>
    public void RecordFlagged(string requestId, Caller caller, EdgeRequest request, IReadOnlyDictionary<string, object?>? properties, bool streamed)
    {
        if (properties?.TryGetValue(GuardrailProperties.Triggered, out var value) == true && value is string guards)
        {
            ledger.Enqueue(GuardrailRecord(requestId, caller, request, guards, LedgerOutcomes.Flagged, streamed, TimeSpan.Zero));
        }
    }

    private LedgerRecord GuardrailRecord(string requestId, Caller caller, EdgeRequest request, string guards, string outcome, bool streamed, TimeSpan latency) => new()
    {
        RequestId = requestId,
        AttemptNumber = 0,
        Timestamp = time.GetUtcNow() - latency,
        KeyId = caller.Key?.Id,
        Route = request.Model,
        Task = request.Options.GetRouteOptions()?.Task,
        Provider = GuardrailLedger.Provider,
        Model = guards,
        Deployment = $"{GuardrailLedger.Provider}/{guards}",
        CostUsd = 0m,
        Latency = latency,
        Streamed = streamed,
        Outcome = outcome,
    };

    /// <summary>The money the request really cost: every attempt's cost (a cheap primary with a paid fallback is counted).</summary>
    public static decimal ActualCost(RoutingResult? result, string? cacheStatus) =>
        cacheStatus == CacheStatus.Hit || result is null ? 0m : result.Attempts.Sum(a => a.CostUsd ?? 0m);

    public static IReadOnlyDictionary<string, object?>? Properties(ChatResponse response) => response.AdditionalProperties;
}
