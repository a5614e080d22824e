using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Ledger;

/// <summary>
/// The ledger as the pipeline's outermost layer. The router records every attempt as it ends; this layer adds the rows
/// only the pipeline knows (a cache hit, a request the guardrails flagged, a refusal by a guardrail or a budget: attempt 0
/// of the request) and makes the request's records durable before the caller sees the end of the answer: a response is
/// returned, and a stream ends, only after the journal holds them.
/// </summary>
public sealed class LedgerChatClient(IChatClient innerClient, LedgerWriter ledger, TimeProvider time) : DelegatingChatClient(innerClient)
{
    /// <summary>The provider column of a cache hit without a known origin.</summary>
    private const string CacheProvider = "cache";

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var context = SwitchboardContext.Ensure(ref options);
        var started = Stopwatch.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestRefusedException refused)
        {
            await RecordRefusedAsync(context, options, refused, Stopwatch.GetElapsedTime(started)).ConfigureAwait(false);
            throw;
        }

        await RecordCompletedAsync(context, options, Stopwatch.GetElapsedTime(started)).ConfigureAwait(false);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var context = SwitchboardContext.Ensure(ref options);
        context.Streamed = true;
        var started = Stopwatch.GetTimestamp();
        await using var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await updates.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (RequestRefusedException refused)
            {
                await RecordRefusedAsync(context, options, refused, Stopwatch.GetElapsedTime(started)).ConfigureAwait(false);
                throw;
            }

            yield return updates.Current;
        }

        // Only a completed stream: a guardrail that cuts the answer later records attempt 0 as blocked instead.
        await RecordCompletedAsync(context, options, Stopwatch.GetElapsedTime(started)).ConfigureAwait(false);
    }

    private Task RecordCompletedAsync(SwitchboardContext context, ChatOptions options, TimeSpan latency)
    {
        if (context.CacheStatus == CacheStatus.Hit)
        {
            var hit = context.Cache;
            ledger.Append(new LedgerRecord
            {
                RequestId = context.RequestId,
                AttemptNumber = 1,
                Timestamp = time.GetUtcNow(),
                KeyId = context.Caller?.KeyId,
                Route = options.ModelId,
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
            });
        }

        if (context.GuardrailsTriggered is { Count: > 0 } guards)
        {
            var names = string.Join(',', guards);
            ledger.Append(Attempt0(context, options, "guardrails", names, LedgerOutcomes.Flagged, TimeSpan.Zero));
        }

        // The router appended each attempt as it ended: the answer's final record is among what this flush makes durable.
        return ledger.FlushAsync(CancellationToken.None);
    }

    private Task RecordRefusedAsync(SwitchboardContext context, ChatOptions options, RequestRefusedException refused, TimeSpan latency)
    {
        ledger.Append(Attempt0(context, options, refused.Refuser, refused.Rule, refused.Outcome, latency) with
        {
            ErrorKind = refused.Kind.ToString(),
            StatusCode = refused.StatusCode,
        });
        return ledger.FlushAsync(CancellationToken.None);
    }

    private LedgerRecord Attempt0(SwitchboardContext context, ChatOptions options, string refuser, string rule, string outcome, TimeSpan latency) => new()
    {
        RequestId = context.RequestId,
        AttemptNumber = 0,
        Timestamp = time.GetUtcNow() - latency,
        KeyId = context.Caller?.KeyId,
        Route = options.ModelId,
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
