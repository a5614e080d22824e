using Microsoft.Extensions.AI;
using Switchboard.Budgets;
using Switchboard.Chat;
using Switchboard.Policy;
using Switchboard.Pricing;
using Switchboard.Routing;

namespace Switchboard.Embeddings;

/// <summary>
/// The chat pipeline's caller policy and budgets for embeddings: the key's model allowlist and requests/tokens per minute
/// (<see cref="CallerRateLimiter"/>, shared with chat), then the request's worst case (its input at the dearest
/// candidate's input price; embeddings have no output) held against every budget that applies and settled with what its
/// attempts really cost (nothing for a cache hit). Refusals are the chat pipeline's exceptions, so every edge answers
/// them the same way.
/// </summary>
public sealed class EmbeddingPolicyGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, CallerRateLimiter limiter,
    BudgetManager? budgets, RouteTable routes, TokenEstimator estimator)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(innerGenerator)
{
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var context = SwitchboardContext.Ensure(ref options);
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        var tokens = context.KnownInputTokens ?? EmbeddingRouter.CountInputs(estimator, inputs).Total;
        context.SetInputTokens(tokens);
        if (context.Caller is { } caller)
        {
            if (!caller.Allows(options.ModelId))
            {
                throw new ModelNotAllowedException(options.ModelId);
            }

            if ((caller.Rpm is not null || caller.Tpm is not null) &&
                await limiter.TryAdmitAsync(caller, caller.Tpm is null ? 0 : tokens, cancellationToken).ConfigureAwait(false) is { } retryAfter)
            {
                throw new CallerRateLimitedException(retryAfter);
            }
        }

        await using var reservation = await ReserveAsync(options, context, tokens, cancellationToken).ConfigureAwait(false);
        try
        {
            return await base.GenerateAsync(inputs, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (reservation is not null)
            {
                var cost = 0m;
                if (context.CacheStatus != CacheStatus.Hit && context.Routing is { } routing)
                {
                    foreach (var attempt in routing.Attempts)
                    {
                        cost += attempt.CostUsd ?? 0m;
                    }
                }

                await reservation.SettleAsync(cost, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task<BudgetReservation?> ReserveAsync(EmbeddingGenerationOptions options, SwitchboardContext context, long tokens,
        CancellationToken cancellationToken)
    {
        if (budgets is null || budgets.Budgets.Count == 0)
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

        var worst = 0m;
        var now = budgets.Now;
        foreach (var deployment in route.Deployments)
        {
            var price = deployment.Price?.PricedAt(now) ?? throw new UnpricedModelException(deployment.Name);
            worst = Math.Max(worst, CostCalculator.Estimate(price, tokens, 0));
        }

        return await budgets.ReserveAsync(scopes, worst, cancellationToken).ConfigureAwait(false);
    }
}
