using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;
using Switchboard.Routing;

namespace Switchboard.Budgets;

/// <summary>
/// Budgets as a pipeline layer: before the inner client, holds the request's worst case (counted input plus the most
/// output it may produce, at the dearest candidate's prices) against every budget that applies to its key, route and
/// model; after it, settles the hold with what every attempt really cost (a cheap primary with a paid fallback counts
/// both; a cache hit costs nothing). A request no budget applies to passes through untouched.
/// </summary>
public sealed class BudgetChatClient(IChatClient innerClient, BudgetManager budgets, RouteTable routes, TokenEstimator estimator)
    : DelegatingChatClient(innerClient)
{
    /// <summary>Pass-through fields that make a provider bill more than the catalog's base prices (refused under a budget).</summary>
    private static readonly string[] PriceChangingFields = ["service_tier", "modalities", "audio", "web_search_options", "speed"];

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var context = SwitchboardContext.Ensure(ref options);
        await using var reservation = await ReserveAsync(messages, options, context, cancellationToken).ConfigureAwait(false);
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await SettleAsync(reservation, context).ConfigureAwait(false);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var context = SwitchboardContext.Ensure(ref options);
        await using var reservation = await ReserveAsync(messages, options, context, cancellationToken).ConfigureAwait(false);
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
        }
        finally
        {
            await SettleAsync(reservation, context).ConfigureAwait(false);
        }
    }

    /// <summary>Holds the worst case against the budgets that apply; null when none does.</summary>
    private async Task<BudgetReservation?> ReserveAsync(IEnumerable<ChatMessage> messages, ChatOptions options, SwitchboardContext context,
        CancellationToken cancellationToken)
    {
        if (budgets.Budgets.Count == 0)
        {
            return null;
        }

        Route route;
        try
        {
            route = routes.Resolve(options.ModelId);
        }
        catch (ProviderException)
        {
            return null; // the router answers 404 for it
        }

        var scopes = new BudgetScopeSet(context.Caller?.KeyId, route.Name, options.ModelId, route.Deployments);
        if (!budgets.AnyApplies(scopes))
        {
            return null;
        }

        RefusePriceChangingFields(options);
        var input = context.InputTokens(estimator, messages, options);
        var worst = 0m;
        var now = budgets.Now;
        foreach (var deployment in route.Deployments)
        {
            var price = deployment.Price?.PricedAt(now) ?? throw new UnpricedModelException(deployment.Name);
            worst = Math.Max(worst, CostCalculator.Estimate(price, input, Math.Min(options.MaxOutputTokens ?? price.MaxOutputTokens, price.MaxOutputTokens)));
        }

        return await budgets.ReserveAsync(scopes, worst, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The money the request really cost: every attempt's cost; nothing for a cache hit.</summary>
    private static Task SettleAsync(BudgetReservation? reservation, SwitchboardContext context)
    {
        if (reservation is null)
        {
            return Task.CompletedTask;
        }

        var cost = 0m;
        if (context.CacheStatus != CacheStatus.Hit && context.Routing is { } routing)
        {
            foreach (var attempt in routing.Attempts)
            {
                cost += attempt.CostUsd ?? 0m;
            }
        }

        return reservation.SettleAsync(cost);
    }

    /// <summary>Under a budget, fields that change the price are refused: the catalog's prices would understate the cost.</summary>
    private static void RefusePriceChangingFields(ChatOptions options)
    {
        if (options.AdditionalProperties is not { } extra)
        {
            return;
        }

        foreach (var field in PriceChangingFields)
        {
            // An Anthropic client's fields ride under a prefix (they reach an Anthropic upstream only) and change its price too.
            if (!(extra.TryGetValue(field, out var value) || extra.TryGetValue(PassThroughKeys.AnthropicFieldPrefix + field, out value)) ||
                value is not JsonElement json ||
                json.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var harmless = field switch
            {
                "service_tier" => json.ValueKind == JsonValueKind.String && json.GetString() is "auto" or "default" or "standard_only",
                "modalities" => json.ValueKind == JsonValueKind.Array &&
                    json.EnumerateArray().All(m => m.ValueKind == JsonValueKind.String && m.GetString() == "text"),
                _ => false,
            };
            if (!harmless)
            {
                throw new InvalidRequestException(
                    $"'{field}' changes the price of a request beyond the catalog's prices, so it is not accepted while a budget applies.", field);
            }
        }
    }
}
