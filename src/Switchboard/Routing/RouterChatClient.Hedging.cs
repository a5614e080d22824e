using Microsoft.Extensions.AI;
using Polly;
using Polly.Hedging;
using Switchboard.Chat;

namespace Switchboard.Routing;

public sealed partial class RouterChatClient
{
    /// <summary>
    /// Polly hedging across the plan: the first candidate starts at once, the next one after <paramref name="delay"/>
    /// (or at once when the previous fails); the first answer wins and Polly cancels the others.
    /// </summary>
    private async Task<ChatResponse> HedgedAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, RequestState state,
        TimeSpan delay, CancellationToken caller)
    {
        var candidates = state.Plan.Candidates;
        var pipeline = new ResiliencePipelineBuilder<ChatResponse?> { TimeProvider = _time }
            .AddHedging(new HedgingStrategyOptions<ChatResponse?>
            {
                MaxHedgedAttempts = Math.Min(candidates.Count - 1, 10),
                Delay = delay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is null && !caller.IsCancellationRequested),
                ActionGenerator = args =>
                {
                    var index = args.AttemptNumber;
                    if (index >= candidates.Count)
                    {
                        return null;
                    }

                    var ct = args.ActionContext.CancellationToken;
                    return async () => Outcome.FromResult<ChatResponse?>(
                        await TryDeploymentAsync(candidates[index], messages, options, state, ct, ct).ConfigureAwait(false));
                },
            })
            .Build();

        var response = await pipeline.ExecuteAsync(
            async ct => await TryDeploymentAsync(candidates[0], messages, options, state, ct, ct).ConfigureAwait(false),
            caller).ConfigureAwait(false);
        caller.ThrowIfCancellationRequested();
        return response ?? throw new RoutingFailedException(state.Plan.Route.Name, state.Result.Attempts, state.LastError);
    }
}
