using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.OpenAI;

/// <summary>Turns a canonical update stream into OpenAI <c>chat.completion.chunk</c> SSE frames. One instance per response; not thread-safe.</summary>
/// <remarks>Order: a role chunk, content and tool-call chunks, one finish chunk, the usage chunk (when asked for), <c>[DONE]</c>.
/// A broken stream ends with <see cref="Error"/> and no <c>[DONE]</c>.</remarks>
internal sealed class OpenAIEdgeStreamWriter(string model, string id, long created, bool includeUsage)
{
    private static readonly byte[] Done = "[DONE]"u8.ToArray();

    private readonly string _id = id;
    private readonly string _model = model;
    private readonly long _created = created;

    private bool _started;
    private bool _finished;
    private int _toolCalls;
    private ChatFinishReason? _finishReason;
    private UsageDetails? _usage;

    /// <summary>The chunks for one update (none when it carries nothing to send, e.g. usage only).</summary>
    public IEnumerable<SseFrame> OnUpdate(ChatResponseUpdate update)
    {
        List<SseFrame>? frames = null;
        if (!_started)
        {
            (frames ??= []).Add(RoleChunk());
        }

        if (update.FinishReason is { } reason)
        {
            _finishReason = reason;
        }

        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextContent { Text: { Length: > 0 } text }:
                    (frames ??= []).Add(Chunk(text, static (w, text) => w.WriteString("content", text)));
                    break;
                case FunctionCallContent call:
                    (frames ??= []).Add(Chunk((call, index: _toolCalls++), static (w, s) =>
                    {
                        w.WriteStartArray("tool_calls");
                        OpenAIEdgeWire.WriteToolCall(w, s.call, s.index);
                        w.WriteEndArray();
                    }));
                    break;
                case UsageContent { Details: var details }:
                    _usage = details;
                    break;
            }
        }

        return frames ?? (IEnumerable<SseFrame>)[];
    }

    /// <summary>The end of a successful stream: the finish chunk (if not yet sent), the usage chunk when asked for, then <c>[DONE]</c>.</summary>
    /// <param name="usage">The final usage; when null, the last usage seen in an update is used.</param>
    public IEnumerable<SseFrame> Complete(UsageDetails? usage)
    {
        var frames = new List<SseFrame>(4);
        if (!_started)
        {
            frames.Add(RoleChunk());
        }

        if (!_finished)
        {
            _finished = true;
            var reason = OpenAIEdgeWire.FinishReason(_finishReason, _toolCalls > 0);
            frames.Add(new SseFrame(null, EdgeJsonWriter.Build((this, reason), static (w, s) =>
            {
                s.Item1.WriteHeader(w);
                w.WriteStartObject("delta");
                w.WriteEndObject();
                s.Item1.WriteChoiceEnd(w, s.reason);
            })));
        }

        if (includeUsage)
        {
            frames.Add(new SseFrame(null, EdgeJsonWriter.Build((this, usage: usage ?? _usage), static (w, s) =>
            {
                w.WriteStartObject();
                w.WriteString("id", s.Item1._id);
                w.WriteString("object", "chat.completion.chunk");
                w.WriteNumber("created", s.Item1._created);
                w.WriteString("model", s.Item1._model);
                w.WriteStartArray("choices");
                w.WriteEndArray();
                OpenAIEdgeWire.WriteUsage(w, s.usage);
                w.WriteEndObject();
            })));
        }

        frames.Add(new SseFrame(null, Done));
        return frames;
    }

    /// <summary>The frame that ends a broken stream: <c>data: {"error":{...}}</c> (no <c>[DONE]</c> may follow).</summary>
    public static SseFrame Error(string message, string type, string? code) =>
        new(null, OpenAIEdgeResponseWriter.WriteError(message, type, code, param: null));

    private SseFrame RoleChunk()
    {
        _started = true;
        return Chunk(0, static (w, _) =>
        {
            w.WriteString("role", "assistant");
            w.WriteString("content", "");
        });
    }

    /// <summary>A chunk with one choice whose delta members <paramref name="writeDelta"/> writes.</summary>
    private SseFrame Chunk<T>(T state, Action<Utf8JsonWriter, T> writeDelta) =>
        new(null, EdgeJsonWriter.Build((self: this, state, writeDelta), static (w, s) =>
        {
            s.self.WriteHeader(w);
            w.WriteStartObject("delta");
            s.writeDelta(w, s.state);
            w.WriteEndObject();
            s.self.WriteChoiceEnd(w, null);
        }));

    /// <summary>Opens the chunk object and its single choice, up to the delta.</summary>
    private void WriteHeader(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("id", _id);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", _created);
        w.WriteString("model", _model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
    }

    /// <summary>Closes the choice (logprobs, finish_reason) and the chunk (with <c>"usage": null</c> when usage was asked for).</summary>
    private void WriteChoiceEnd(Utf8JsonWriter w, string? finishReason)
    {
        w.WriteNull("logprobs");
        OpenAIEdgeWire.WriteNullableString(w, "finish_reason", finishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        if (includeUsage)
        {
            w.WriteNull("usage");
        }

        w.WriteEndObject();
    }
}
