using Microsoft.Extensions.AI;

namespace Switchboard.Providers;

/// <summary>
/// What is provider-specific in reading a stream: turning one SSE event into an update and judging how the stream
/// ended. One per stream; <see cref="ProviderTransport.StreamAsync"/> does the reading, the timeouts and the errors.
/// </summary>
internal interface IProviderStreamDecoder
{
    /// <summary>Whether the stream has said its last word (<c>[DONE]</c>, <c>message_stop</c>): nothing after it is read.</summary>
    bool IsDone { get; }

    /// <summary>The usage reported so far, if any: the partial usage of a stream that fails.</summary>
    UsageDetails? Usage { get; }

    /// <summary>Decodes one event from its name and its UTF-8 data; returns null when it carries nothing for the caller.</summary>
    ChatResponseUpdate? Decode(string eventType, ReadOnlySpan<byte> data);

    /// <summary>
    /// Ends the stream once the body is over (or <see cref="IsDone"/>): returns the last update (pending tool calls,
    /// usage) or null, and throws <see cref="Chat.ProviderErrorKind.Network"/> when the stream ended prematurely.
    /// </summary>
    ChatResponseUpdate? Complete();
}
