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
internal sealed class RequestAccounting(LedgerWriter ledger, BudgetManager budgets, RouteTable routes, TokenEstimator estimator, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<Switchboard.Hosting.SwitchboardOptions> options)
{
    /// <summary>Pass-through fields that make a provider bill more than the catalog's base prices (refused under a budget).</summary>
    private static readonly string[] PriceChangingFields = ["service_tier", "modalities", "audio", "web_search_options", "speed"];

    private readonly UnpricedModelPrice? _unpriced = options.Value.Catalog.UnpricedModel;

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

        var scopes = new BudgetScopeSet(caller.Key?.Id, route.Name, request.Model);
        if (!budgets.AnyApplies(scopes))
        {
            return null;
        }

        RefusePriceChangingFields(request);
        var input = estimator.CountInput(request.Messages, request.Options);
        var worst = 0m;
        foreach (var deployment in route.Deployments)
        {
            var info = PriceOf(deployment) ?? throw new UnpricedModelException(deployment.Name);
            worst = Math.Max(worst, CostCalculator.Estimate(info, input, Math.Min(request.Options.MaxOutputTokens ?? info.MaxOutputTokens, info.MaxOutputTokens)));
        }

        return await budgets.ReserveAsync(scopes, worst, cancellationToken);
    }

    /// <summary>The catalog's price of a deployment, else the configured fallback for unpriced models, else null.</summary>
    private ModelInfo? PriceOf(Deployment deployment) => deployment.Info ?? _unpriced?.For(deployment.ProviderType, deployment.Model);

    /// <summary>An attempt's cost: as the router priced it, or at the fallback price when the catalog has none.</summary>
    public decimal? CostOf(AttemptRecord attempt) =>
        attempt.CostUsd ?? (attempt.Deployment.Info is null && _unpriced is not null && attempt.Usage is { } usage
            ? CostCalculator.Compute(_unpriced.For(attempt.Deployment.ProviderType, attempt.Deployment.Model), usage)
            : null);

    /// <summary>Fills the answer's cost from the fallback price when the router had no catalog price for the deployment.</summary>
    public void PriceResult(RoutingResult? result)
    {
        if (result is { CostUsd: null, Attempts: { Count: > 0 } attempts })
        {
            result.CostUsd = CostOf(attempts[^1]);
        }
    }

    /// <summary>Under a budget, fields that change the price are refused: the catalog's prices would understate the cost.</summary>
    private static void RefusePriceChangingFields(EdgeRequest request)
    {
        if (request.Options.AdditionalProperties is not { } extra)
        {
            return;
        }

        foreach (var field in PriceChangingFields)
        {
            // An Anthropic client's fields ride under a prefix (they reach an Anthropic upstream only) and change its price too.
            if (!(extra.TryGetValue(field, out var value) || extra.TryGetValue(Switchboard.Chat.PassThroughKeys.AnthropicFieldPrefix + field, out value)) ||
                value is not System.Text.Json.JsonElement json ||
                json.ValueKind == System.Text.Json.JsonValueKind.Null)
            {
                continue;
            }

            var harmless = field switch
            {
                "service_tier" => json.ValueKind == System.Text.Json.JsonValueKind.String && json.GetString() is "auto" or "default" or "standard_only",
                "modalities" => json.ValueKind == System.Text.Json.JsonValueKind.Array &&
                    json.EnumerateArray().All(m => m.ValueKind == System.Text.Json.JsonValueKind.String && m.GetString() == "text"),
                _ => false,
            };
            if (!harmless)
            {
                throw new EdgeRequestException(
                    $"'{field}' changes the price of a request beyond the catalog's prices, so it is not accepted while a budget applies.", field);
            }
        }
    }

    /// <summary>Journals the request's final record (flushed to disk) before its last bytes are sent.</summary>
    public Task RecordFinalAsync(string requestId, Caller caller, RoutingResult? result, IReadOnlyDictionary<string, object?>? properties,
        string? cacheStatus, bool streamed, TimeSpan latency)
    {
        if (cacheStatus == CacheStatus.Hit && properties is not null)
        {
            var provider = properties.TryGetValue(CacheProperties.Provider, out var p) ? p as string : null;
            var model = properties.TryGetValue(CacheProperties.Model, out var m) ? m as string : null;
            return AppendDurably(new LedgerRecord
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
            ? ledger.FlushAsync() // the router appended every attempt (IAttemptObserver): wait until they are durable
            : Task.CompletedTask;
    }

    /// <summary>
    /// Journals a guardrail block as attempt 0 of the request (provider <c>guardrails</c>, model = the guard): an input
    /// block never reaches the router, so this is its only record; an output block sits beside the router's attempts.
    /// </summary>
    public Task RecordBlockedAsync(string requestId, Caller caller, EdgeRequest request, GuardrailBlockedException blocked, bool streamed, TimeSpan latency) =>
        AppendDurably(GuardrailRecord(requestId, caller, request, blocked.Guard, LedgerOutcomes.Blocked, streamed, latency) with
        {
            ErrorKind = nameof(ProviderErrorKind.ContentFiltered),
            StatusCode = 400,
        });

    /// <summary>Queues attempt 0 of a request the guardrails flagged or redacted and let through (model = the guards).</summary>
    public void RecordFlagged(string requestId, Caller caller, EdgeRequest request, IReadOnlyDictionary<string, object?>? properties, bool streamed)
    {
        if (properties?.TryGetValue(GuardrailProperties.Triggered, out var value) == true && value is string guards)
        {
            ledger.Append(GuardrailRecord(requestId, caller, request, guards, LedgerOutcomes.Flagged, streamed, TimeSpan.Zero));
        }
    }

    private Task AppendDurably(LedgerRecord record)
    {
        ledger.Append(record);
        return ledger.FlushAsync();
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
    public decimal ActualCost(RoutingResult? result, string? cacheStatus) =>
        cacheStatus == CacheStatus.Hit || result is null ? 0m : AttemptsCost(result.Attempts);

    /// <summary>What the attempts cost (at the fallback price where the catalog has none).</summary>
    public decimal AttemptsCost(IEnumerable<AttemptRecord>? attempts) => attempts?.Sum(a => CostOf(a) ?? 0m) ?? 0m;

    public static IReadOnlyDictionary<string, object?>? Properties(ChatResponse response) => response.AdditionalProperties;
}
