using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;

namespace Switchboard.Routing;

/// <summary>
/// A request's input token estimate, counted with the o200k tokenizer on first read only: the plan and the policies read
/// it when they need it (a context window the prompt may not fit, the cheapest policy, a token rate limit), and a request
/// that needs none of them is never tokenised. The count is kept in the request's <see cref="SwitchboardContext"/>.
/// </summary>
internal sealed class InputTokenCount
{
    private readonly SwitchboardContext? context;
    private readonly TokenEstimator? estimator;
    private readonly IEnumerable<ChatMessage>? messages;
    private readonly ChatOptions? options;
    private long _count;

    public InputTokenCount(long count) => _count = count;

    public InputTokenCount(SwitchboardContext? context, TokenEstimator estimator, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        this.context = context;
        this.estimator = estimator;
        this.messages = messages;
        this.options = options;
        _count = context?.KnownInputTokens ?? -1;
    }

    /// <summary>The estimate (counted now if it was not yet).</summary>
    public long Value
    {
        get
        {
            var known = Interlocked.Read(ref _count);
            if (known >= 0)
            {
                return known;
            }

            var counted = context is not null
                ? context.InputTokens(estimator!, messages!, options)
                : estimator!.CountInput(messages!, options);
            Interlocked.Exchange(ref _count, counted);
            return counted;
        }
    }

    /// <summary>
    /// An upper bound of the estimate without tokenising, or null when the request has content it cannot bound (images,
    /// tool calls, tool schemas). Every o200k token covers at least one UTF-8 byte and a UTF-16 char is at most three
    /// bytes, so a text is at most three tokens per char; the per-request and per-message overheads are the estimator's.
    /// </summary>
    public long? UpperBound()
    {
        if (Interlocked.Read(ref _count) is >= 0 and var known)
        {
            return known;
        }

        if (messages is null || options?.Tools is { Count: > 0 })
        {
            return null;
        }

        long bound = TokenEstimator.PerRequestOverhead;
        foreach (var message in messages)
        {
            bound += TokenEstimator.PerMessageOverhead;
            foreach (var content in message.Contents)
            {
                if (content is not TextContent text)
                {
                    return null;
                }

                bound += 3L * (text.Text?.Length ?? 0);
            }
        }

        return bound;
    }
}
