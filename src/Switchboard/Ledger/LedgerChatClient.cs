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

    // The router appended each attempt as it ended: the answer's final record is among what this flush makes durable.
    private Task RecordCompletedAsync(SwitchboardContext context, ChatOptions options, TimeSpan latency) =>
        PipelineRecords.CompleteAsync(ledger, context, options.ModelId, time.GetUtcNow(), latency);

    private Task RecordRefusedAsync(SwitchboardContext context, ChatOptions options, RequestRefusedException refused, TimeSpan latency)
    {
        ledger.Append(PipelineRecords.Refused(context, options.ModelId, refused, time.GetUtcNow(), latency));
        return ledger.FlushAsync(CancellationToken.None);
    }
}
