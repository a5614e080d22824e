using Microsoft.Extensions.AI;
using Polly;
using Switchboard.Chat;
using Switchboard.Resilience;

namespace Switchboard.Routing;

/// <summary>
/// One non-streamed call on one deployment, for the chat and the embedding routers alike: admission through the
/// deployment's rate limiter, the call through its Polly pipeline (each try takes one of the request's attempts, is timed
/// by an <see cref="AttemptClock"/> and reported to the observers, priced at the deployment's price), and a failure turned
/// into the error that lets the router move on to the next candidate.
/// </summary>
internal sealed class DeploymentAttempts(DeploymentResilience resilience, TimeProvider time)
{
    /// <summary>What the caller reads from a successful reply for its attempt record.</summary>
    internal readonly record struct Reply(UsageDetails? Usage, ChatFinishReason? FinishReason, string? ResponseModel);

    /// <summary>A successful call: the provider's reply, the usage recorded for it and what that cost.</summary>
    internal sealed record Answer<TResult>(TResult Value, UsageDetails? Usage, decimal? Cost);

    /// <summary>
    /// Calls <paramref name="call"/> on <paramref name="deployment"/> and records a successful answer (usage, cost) on the
    /// request's result; null when the deployment failed or was skipped (<see cref="RequestState.LastError"/> says why).
    /// </summary>
    public async Task<Answer<TResult>?> RunAsync<TArgs, TResult>(Deployment deployment, RequestState state, TArgs args,
        Func<TArgs, CancellationToken, Task<TResult>> call, Func<TArgs, TResult, Reply> read, CancellationToken caller, CancellationToken token)
    {
        var answer = await ExecuteAsync(deployment, state, (args, call, read), streamed: false, static async (s, clock, ct) =>
        {
            var value = await s.call(s.args, ct).ConfigureAwait(false);
            clock.State.Result.UpstreamTime += clock.Elapsed;
            var reply = s.read(s.args, value);
            var cost = clock.Cost(reply.Usage);
            clock.Success(reply.Usage, cost, reply.FinishReason, reply.ResponseModel);
            return new Answer<TResult>(value, reply.Usage, cost);
        }, caller, token).ConfigureAwait(false);
        if (answer is null)
        {
            return null;
        }

        var result = state.Result;
        result.Deployment = deployment;
        result.Usage = answer.Usage;
        result.CostUsd = answer.Cost; // as the answering attempt was priced when it was recorded
        if (resilience.Limiter(deployment) is { IsLimited: true } limiter)
        {
            limiter.Settle(state.Plan.EstimatedInputTokens, answer.Usage?.TotalTokenCount ?? 0); // the estimate is counted only for a limit
        }

        return answer;
    }

    /// <summary>
    /// One deployment through its rate limiter and Polly pipeline: each try takes one of the request's attempts and runs
    /// <paramref name="attempt"/> with its <see cref="AttemptClock"/> (which the attempt reports success to); a failure is
    /// recorded here. Null when the deployment failed or was skipped and the router may move on. <paramref name="caller"/>
    /// is the caller's token (its cancellation is not a deployment failure), <paramref name="token"/> the attempt's (a
    /// hedge's own). <paramref name="streamed"/>: Polly's timeout then guards the time to first content.
    /// </summary>
    public async Task<TResult?> ExecuteAsync<TArgs, TResult>(Deployment deployment, RequestState state, TArgs args, bool streamed,
        Func<TArgs, AttemptClock, CancellationToken, Task<TResult>> attempt, CancellationToken caller, CancellationToken token)
        where TResult : class
    {
        state.Candidates.MarkTried(deployment);
        if (!await AdmitAsync(deployment, state, token).ConfigureAwait(false))
        {
            return null;
        }

        var context = ResilienceContextPool.Shared.Get(token);
        context.Properties.Set(AttemptBudget.Key, state.Budget);
        if (streamed)
        {
            context.Properties.Set(DeploymentResilience.StreamingKey, true);
        }

        try
        {
            return await resilience.Pipeline(deployment).ExecuteAsync(static async (ctx, s) =>
            {
                if (!s.state.Budget.TryTake())
                {
                    throw new ProviderException(ProviderErrorKind.Unknown, "The request's attempt limit was reached.");
                }

                var clock = new AttemptClock(s.time, s.state, s.deployment, s.streamed);
                try
                {
                    return await s.attempt(s.args, clock, ctx.CancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    s.state.Result.UpstreamTime += clock.Elapsed;
                    s.state.LastError = clock.Failure(ex, s.caller.IsCancellationRequested, committed: false, null, null) ?? s.state.LastError;
                    throw;
                }
            }, context, (time, state, deployment, args, attempt, streamed, caller)).ConfigureAwait(false);
        }
        catch (Polly.CircuitBreaker.BrokenCircuitException ex)
        {
            // Raised by the pipeline before the attempt callback ran: record it here.
            state.LastError = new AttemptClock(time, state, deployment, streamed).Failure(ex, false, false, null, null);
            return null;
        }
        catch (Exception ex) when (!caller.IsCancellationRequested)
        {
            // Attempt failures were recorded inside the callback; keep the error that stands for them.
            state.LastError ??= AttemptClock.ToProviderException(ex, deployment);
            return null;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Applies the deployment's rate limits: skip a saturated deployment unless no other candidate is left.</summary>
    public async ValueTask<bool> AdmitAsync(Deployment deployment, RequestState state, CancellationToken token)
    {
        var isLast = !state.Candidates.HasMore;
        resilience.Budget(deployment).OnRequest();
        var limiter = resilience.Limiter(deployment);
        if (!limiter.IsLimited)
        {
            return true;
        }

        var decision = await limiter.TryAcquireAsync(state.Plan.EstimatedInputTokens, token).ConfigureAwait(false);
        if (decision.Acquired || (isLast && await limiter.AcquireAsync(state.Plan.EstimatedInputTokens, token).ConfigureAwait(false)))
        {
            return true;
        }

        // Not the last candidate, or the last one with its wait queue full: skip it now.
        new AttemptClock(time, state, deployment, streamed: false).Skipped("rate limit reached (requests or tokens per minute)");
        state.LastError = new ProviderException(ProviderErrorKind.RateLimited, $"{deployment.Name} is at its configured rate limit.", deployment.Provider,
            retryAfter: decision.Acquired ? null : decision.RetryAfter);
        return false;
    }
}
