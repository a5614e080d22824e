using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.Anthropic;

/// <summary>Turns a canonical update stream into Anthropic Messages SSE events. One instance per response; not thread-safe.</summary>
/// <remarks>Order: <c>message_start</c>, <c>ping</c>, per block <c>content_block_start</c> / <c>content_block_delta</c>… /
/// <c>content_block_stop</c> (indexes 0, 1, …), <c>message_delta</c>, <c>message_stop</c>. A broken stream ends with
/// <see cref="Error"/> and no <c>message_stop</c>.</remarks>
internal sealed class AnthropicEdgeStreamWriter(string model, string id, long estimatedInputTokens)
{
    private const string ContentBlockDelta = "content_block_delta";

    private enum Block { None, Text, Thinking }

    private bool _started;
    private Block _open;
    private int _index = -1;
    private bool _toolCalls;
    private string? _signature;
    private ChatFinishReason? _finishReason;
    private UsageDetails? _usage;

    /// <summary><c>message_start</c> (empty content, estimated input usage) and a <c>ping</c>; nothing when already started.</summary>
    public IEnumerable<SseFrame> Start()
    {
        if (_started)
        {
            return [];
        }

        _started = true;
        var start = EdgeJsonWriter.Build((model, id, estimatedInputTokens), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type", "message_start");
            w.WriteStartObject("message");
            w.WriteString("id", s.id);
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteString("model", s.model);
            w.WriteStartArray("content");
            w.WriteEndArray();
            w.WriteNull("stop_reason");
            w.WriteNull("stop_sequence");
            w.WriteStartObject("usage");
            w.WriteNumber("input_tokens", s.estimatedInputTokens);
            w.WriteNumber("cache_creation_input_tokens", 0);
            w.WriteNumber("cache_read_input_tokens", 0);
            w.WriteNumber("output_tokens", 1);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        });
        return [new SseFrame("message_start", start), new SseFrame("ping", """{"type":"ping"}"""u8.ToArray())];
    }

    /// <summary>The events for one update (none when it carries nothing to send, e.g. usage only).</summary>
    public IEnumerable<SseFrame> OnUpdate(ChatResponseUpdate update)
    {
        var frames = _started ? [] : new List<SseFrame>(Start());
        if (update.FinishReason is { } reason)
        {
            _finishReason = reason;
        }

        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextContent { Text: { Length: > 0 } text }:
                    Open(frames, Block.Text);
                    frames.Add(Delta(text, static (w, text) =>
                    {
                        w.WriteString("type", "text_delta");
                        w.WriteString("text", text);
                    }));
                    break;
                case TextReasoningContent reasoning:
                    Open(frames, Block.Thinking);
                    if (!string.IsNullOrEmpty(reasoning.Text))
                    {
                        frames.Add(Delta(reasoning.Text, static (w, text) =>
                        {
                            w.WriteString("type", "thinking_delta");
                            w.WriteString("thinking", text);
                        }));
                    }

                    _signature = reasoning.ProtectedData ?? _signature;
                    break;
                case FunctionCallContent call:
                    AddToolUse(frames, call);
                    break;
                case UsageContent { Details: var details }:
                    _usage = details;
                    break;
            }
        }

        return frames;
    }

    /// <summary>The end of a successful stream: closes the open block, then <c>message_delta</c> and <c>message_stop</c>.</summary>
    /// <param name="usage">The final usage; when null, the last usage seen in an update is used.</param>
    public IEnumerable<SseFrame> Complete(UsageDetails? usage)
    {
        var frames = _started ? new List<SseFrame>(3) : new List<SseFrame>(Start());
        Close(frames);
        var state = (usage: usage ?? _usage, reason: AnthropicEdgeWire.StopReason(_finishReason, _toolCalls), estimatedInputTokens);
        frames.Add(new SseFrame("message_delta", EdgeJsonWriter.Build(state, static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type", "message_delta");
            w.WriteStartObject("delta");
            w.WriteString("stop_reason", s.reason);
            w.WriteNull("stop_sequence");
            w.WriteEndObject();
            w.WriteStartObject("usage");
            if (s.usage is null)
            {
                w.WriteNumber("output_tokens", 0);
            }
            else
            {
                AnthropicEdgeWire.WriteUsageCounts(w, s.usage, s.estimatedInputTokens);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        })));
        frames.Add(new SseFrame("message_stop", """{"type":"message_stop"}"""u8.ToArray()));
        return frames;
    }

    /// <summary>The event that ends a broken stream: <c>event: error</c> (no <c>message_stop</c> may follow).</summary>
    public static SseFrame Error(string type, string message) =>
        new("error", AnthropicEdgeResponseWriter.WriteError(type, message));

    private void AddToolUse(List<SseFrame> frames, FunctionCallContent call)
    {
        Close(frames);
        _toolCalls = true;
        _index++;
        frames.Add(new SseFrame("content_block_start", EdgeJsonWriter.Build((call, _index), static (w, s) =>
        {
            WriteBlockHeader(w, "content_block_start", s._index);
            w.WriteStartObject("content_block");
            w.WriteString("type", "tool_use");
            w.WriteString("id", s.call.CallId);
            w.WriteString("name", s.call.Name);
            AnthropicEdgeWire.WriteDirectCaller(w);
            w.WriteStartObject("input");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        })));
        frames.Add(Delta(call, static (w, call) =>
        {
            w.WriteString("type", "input_json_delta");
            w.WritePropertyName("partial_json");
            EdgeJsonWriter.WriteArgumentsString(w, call.Arguments);
        }));
        frames.Add(Stop(_index));
    }

    /// <summary>Makes sure a block of <paramref name="kind"/> is open, closing a block of another kind first.</summary>
    private void Open(List<SseFrame> frames, Block kind)
    {
        if (_open == kind)
        {
            return;
        }

        Close(frames);
        _open = kind;
        _index++;
        frames.Add(new SseFrame("content_block_start", EdgeJsonWriter.Build((kind, _index), static (w, s) =>
        {
            WriteBlockHeader(w, "content_block_start", s._index);
            w.WriteStartObject("content_block");
            if (s.kind == Block.Text)
            {
                w.WriteString("type", "text");
                w.WriteString("text", "");
            }
            else
            {
                w.WriteString("type", "thinking");
                w.WriteString("thinking", "");
                w.WriteString("signature", "");
            }

            w.WriteEndObject();
            w.WriteEndObject();
        })));
    }

    /// <summary>Closes the open text or thinking block (a thinking block gets its signature first).</summary>
    private void Close(List<SseFrame> frames)
    {
        if (_open == Block.None)
        {
            return;
        }

        if (_open == Block.Thinking && _signature is { } signature)
        {
            frames.Add(Delta(signature, static (w, signature) =>
            {
                w.WriteString("type", "signature_delta");
                w.WriteString("signature", signature);
            }));
        }

        _signature = null;
        _open = Block.None;
        frames.Add(Stop(_index));
    }

    private static SseFrame Stop(int index) => new("content_block_stop", EdgeJsonWriter.Build(index, static (w, index) =>
    {
        WriteBlockHeader(w, "content_block_stop", index);
        w.WriteEndObject();
    }));

    /// <summary>A <c>content_block_delta</c> for the current block whose delta members <paramref name="writeDelta"/> writes.</summary>
    private SseFrame Delta<T>(T state, Action<Utf8JsonWriter, T> writeDelta) =>
        new(ContentBlockDelta, EdgeJsonWriter.Build((state, writeDelta, _index), static (w, s) =>
        {
            WriteBlockHeader(w, ContentBlockDelta, s._index);
            w.WriteStartObject("delta");
            s.writeDelta(w, s.state);
            w.WriteEndObject();
            w.WriteEndObject();
        }));

    /// <summary>Opens an event object with its <c>type</c> and <c>index</c>.</summary>
    private static void WriteBlockHeader(Utf8JsonWriter w, string type, int index)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteNumber("index", index);
    }
}
