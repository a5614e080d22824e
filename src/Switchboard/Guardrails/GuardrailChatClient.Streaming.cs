using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Guardrails;

public sealed partial class GuardrailChatClient
{
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var context = SwitchboardContext.Ensure(ref options);
        var plan = GuardrailPlan.Resolve(_options, options.ModelId, context);
        if (plan.AllOff)
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        var run = new GuardrailRun(plan, options.ModelId, context);
        var prepared = await PrepareAsync([.. messages], options, run, cancellationToken);
        var guard = OutputScan(run) is { } scan ? new StreamingTextGuard(_options.StreamLookBehindChars, scan) : null;
        ChatResponseUpdate? template = null;
        await foreach (var update in base.GetStreamingResponseAsync(prepared, options, cancellationToken).WithCancellation(cancellationToken))
        {
            var outgoing = update;
            if (guard is not null)
            {
                template ??= update;
                outgoing = Filter(update, guard);
            }

            yield return outgoing;
        }

        if (guard?.Flush() is { Length: > 0 } tail)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, tail)
            {
                ResponseId = template?.ResponseId,
                MessageId = template?.MessageId,
                ModelId = template?.ModelId,
            };
        }
    }

    /// <summary>The update with its text replaced by what the guard releases (the tail too, when the answer finishes here).</summary>
    private static ChatResponseUpdate Filter(ChatResponseUpdate update, StreamingTextGuard guard)
    {
        var hasText = false;
        var released = new StringBuilder();
        foreach (var content in update.Contents)
        {
            if (content is TextContent t)
            {
                hasText = true;
                released.Append(guard.Push(t.Text ?? ""));
            }
        }

        if (update.FinishReason is not null)
        {
            released.Append(guard.Flush());
        }

        if (!hasText && released.Length == 0)
        {
            return update;
        }

        var copy = update.Clone();
        var contents = new List<AIContent>(update.Contents.Count + 1);
        var placed = false;
        foreach (var content in update.Contents)
        {
            if (content is not TextContent)
            {
                contents.Add(content);
            }
            else if (!placed)
            {
                placed = true;
                if (released.Length > 0)
                {
                    contents.Add(new TextContent(released.ToString()));
                }
            }
        }

        if (!placed && released.Length > 0)
        {
            contents.Insert(0, new TextContent(released.ToString()));
        }

        copy.Contents = contents;
        return copy;
    }
}
