using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.Responses;

/// <summary>Turns a canonical update stream into OpenAI Responses SSE events. One instance per response; not thread-safe.</summary>
/// <remarks>
/// Order: <c>response.created</c>, <c>response.in_progress</c>, then per output item <c>response.output_item.added</c>,
/// for text <c>response.content_part.added</c> / <c>response.output_text.delta</c>… / <c>response.output_text.done</c> /
/// <c>response.content_part.done</c>, for calls <c>response.function_call_arguments.delta</c>/<c>.done</c> (or
/// <c>response.custom_tool_call_input.delta</c>/<c>.done</c>), then <c>response.output_item.done</c>; finally exactly one of
/// <c>response.completed</c> / <c>response.incomplete</c>, or on a break an <c>error</c> event and <c>response.failed</c>.
/// Every event carries <c>sequence_number</c> (0, 1, …).
/// </remarks>
internal sealed class ResponsesEdgeStreamWriter(ResponsesEdgeContext context, string model, string id, long created)
{
    private readonly List<ResponsesOutputItem> _items = [];
    private ResponsesOutputItem? _openMessage;
    private ResponsesOutputItem? _openReasoning;
    private int _sequence;
    private bool _started;
    private bool _ended;
    private ChatFinishReason? _finishReason;
    private UsageDetails? _usage;

    /// <summary>The response object the terminal event of a successful stream carries, once <see cref="Complete"/> ran (what is stored).</summary>
    public byte[]? FinalResponse { get; private set; }

    /// <summary><c>response.created</c> and <c>response.in_progress</c>; nothing when already started.</summary>
    public IEnumerable<SseFrame> Start()
    {
        if (_started)
        {
            return [];
        }

        _started = true;
        return [ResponseEvent("response.created", "in_progress"), ResponseEvent("response.in_progress", "in_progress")];
    }

    /// <summary>The events for one update (none when it carries nothing to send, e.g. usage only).</summary>
    public IEnumerable<SseFrame> OnUpdate(ChatResponseUpdate update)
    {
        var frames = new List<SseFrame>(Start());
        _finishReason = update.FinishReason ?? _finishReason;
        foreach (var content in update.Contents)
        {
            if (ResponsesOutputItem.Native(content, $"item_{id}_{_items.Count}") is { } native)
            {
                AddNative(frames, native);
                continue;
            }

            switch (content)
            {
                case TextContent { Text: { Length: > 0 } text }:
                    CloseReasoning(frames);
                    AddText(frames, text);
                    break;
                case TextReasoningContent { Text: { Length: > 0 } thought }:
                    CloseMessage(frames);
                    AddReasoning(frames, thought);
                    break;
                case FunctionCallContent call:
                    CloseReasoning(frames);
                    AddCall(frames, call);
                    break;
                case UsageContent { Details: var details }:
                    _usage = details;
                    break;
            }
        }

        return frames;
    }

    /// <summary>The end of a successful stream: the open message is closed, then <c>response.completed</c> (or <c>response.incomplete</c>).</summary>
    /// <param name="usage">The final usage; when null, the last usage seen in an update is used.</param>
    public IEnumerable<SseFrame> Complete(UsageDetails? usage)
    {
        var frames = new List<SseFrame>(Start());
        var (status, reason) = ResponsesEdgeWire.StatusOf(_finishReason);
        CloseMessage(frames, status);
        CloseReasoning(frames, status);
        _usage = usage ?? _usage;
        _ended = true;
        frames.Add(ResponseEvent(status == "completed" ? "response.completed" : "response.incomplete", status, reason));
        var snapshot = new ResponsesEdgeWire.Snapshot(id, created, model, status, _items, _usage, reason);
        FinalResponse = EdgeJsonWriter.Build((context, snapshot), static (w, s) => ResponsesEdgeWire.WriteResponse(w, s.context, s.snapshot));
        return frames;
    }

    /// <summary>The end of a broken stream: an <c>error</c> event, then <c>response.failed</c> (never <c>response.completed</c>).</summary>
    public IEnumerable<SseFrame> Fail(string code, string message, string? param)
    {
        var frames = new List<SseFrame>(Start());
        if (_ended)
        {
            return frames;
        }

        _ended = true;
        frames.Add(Event("error", (code, message, param), static (w, s) =>
        {
            w.WriteString("code", s.code);
            w.WriteString("message", s.message);
            if (s.param is null)
            {
                w.WriteNull("param");
            }
            else
            {
                w.WriteString("param", s.param);
            }
        }));
        frames.Add(ResponseEvent("response.failed", "failed", errorCode: code, errorMessage: message));
        return frames;
    }

    private void AddText(List<SseFrame> frames, string text)
    {
        if (_openMessage is null)
        {
            var item = _openMessage = ResponsesOutputItem.Message($"msg_{id}_{_items.Count}");
            _items.Add(item);
            frames.Add(ItemEvent("response.output_item.added", item, "in_progress"));
            frames.Add(PartEvent("response.content_part.added", ""));
        }

        _openMessage.Text.Append(text);
        frames.Add(Event("response.output_text.delta", (self: this, text), static (w, s) =>
        {
            s.self.WritePosition(w);
            w.WriteNumber("content_index", 0);
            w.WriteString("delta", s.text);
            w.WriteStartArray("logprobs");
            w.WriteEndArray();
        }));
    }

    /// <summary>Ends the open message; <paramref name="responseStatus"/> is the response's when it ends with it (see
    /// <see cref="ResponsesEdgeWire.ItemStatus"/>: cut at max_output_tokens, the last item is incomplete).</summary>
    private void CloseMessage(List<SseFrame> frames, string responseStatus = "completed")
    {
        if (_openMessage is not { } item)
        {
            return;
        }

        var text = item.Text.ToString();
        frames.Add(Event("response.output_text.done", (self: this, text), static (w, s) =>
        {
            s.self.WritePosition(w);
            w.WriteNumber("content_index", 0);
            w.WriteString("text", s.text);
            w.WriteStartArray("logprobs");
            w.WriteEndArray();
        }));
        frames.Add(PartEvent("response.content_part.done", text));
        frames.Add(ItemEvent("response.output_item.done", item, ResponsesEdgeWire.ItemStatus(responseStatus, last: item == _items[^1])));
        _openMessage = null;
    }

    /// <summary>A translated provider's reasoning: a <c>reasoning</c> item whose summary grows with each delta.</summary>
    private void AddReasoning(List<SseFrame> frames, string text)
    {
        if (_openReasoning is null)
        {
            var item = _openReasoning = ResponsesOutputItem.Reasoning($"rs_{id}_{_items.Count}");
            _items.Add(item);
            frames.Add(ItemEvent("response.output_item.added", item, "in_progress"));
            frames.Add(SummaryPartEvent("response.reasoning_summary_part.added", ""));
        }

        _openReasoning.Text.Append(text);
        frames.Add(SummaryTextEvent("response.reasoning_summary_text.delta", "delta", text));
    }

    private void CloseReasoning(List<SseFrame> frames, string responseStatus = "completed")
    {
        if (_openReasoning is not { } item)
        {
            return;
        }

        var text = item.Text.ToString();
        frames.Add(SummaryTextEvent("response.reasoning_summary_text.done", "text", text));
        frames.Add(SummaryPartEvent("response.reasoning_summary_part.done", text));
        frames.Add(ItemEvent("response.output_item.done", item, ResponsesEdgeWire.ItemStatus(responseStatus, last: item == _items[^1])));
        _openReasoning = null;
    }

    /// <summary>An item an OpenAI upstream sent whole: announced, its summary or arguments as one delta, then done, all as sent.</summary>
    private void AddNative(List<SseFrame> frames, ResponsesOutputItem item)
    {
        CloseMessage(frames);
        CloseReasoning(frames);
        _items.Add(item);
        frames.Add(ItemEvent("response.output_item.added", item, "in_progress"));
        switch (item.NativeType)
        {
            case "reasoning" when item.Text.Length > 0:
                var summary = item.Text.ToString();
                frames.Add(SummaryPartEvent("response.reasoning_summary_part.added", ""));
                frames.Add(SummaryTextEvent("response.reasoning_summary_text.delta", "delta", summary));
                frames.Add(SummaryTextEvent("response.reasoning_summary_text.done", "text", summary));
                frames.Add(SummaryPartEvent("response.reasoning_summary_part.done", summary));
                break;
            case "function_call" or "custom_tool_call":
                AddCallPayload(frames, item, item.NativeType == "custom_tool_call");
                break;
        }

        frames.Add(ItemEvent("response.output_item.done", item, "completed"));
    }

    private SseFrame SummaryPartEvent(string type, string text) =>
        Event(type, (self: this, text), static (w, s) =>
        {
            s.self.WritePosition(w);
            w.WriteNumber("summary_index", 0);
            w.WritePropertyName("part");
            ResponsesEdgeWire.WriteSummaryPart(w, s.text);
        });

    private SseFrame SummaryTextEvent(string type, string field, string text) =>
        Event(type, (self: this, field, text), static (w, s) =>
        {
            s.self.WritePosition(w);
            w.WriteNumber("summary_index", 0);
            w.WriteString(s.field, s.text);
        });

    /// <summary>A whole call: providers' adapters deliver calls complete, so one delta carries all of the arguments.</summary>
    private void AddCall(List<SseFrame> frames, FunctionCallContent call)
    {
        CloseMessage(frames);
        var item = ResponsesOutputItem.Call(call, context.Tools, id, _items.Count);
        _items.Add(item);
        frames.Add(ItemEvent("response.output_item.added", item, "in_progress"));
        AddCallPayload(frames, item, item.Kind == ResponsesOutputItem.ItemKind.CustomToolCall);
        frames.Add(ItemEvent("response.output_item.done", item, "completed"));
    }

    private void AddCallPayload(List<SseFrame> frames, ResponsesOutputItem item, bool custom)
    {
        frames.Add(Event(custom ? "response.custom_tool_call_input.delta" : "response.function_call_arguments.delta", (self: this, item), static (w, s) =>
        {
            s.self.WritePosition(w);
            w.WriteString("delta", s.item.Payload);
        }));
        frames.Add(Event(custom ? "response.custom_tool_call_input.done" : "response.function_call_arguments.done", (self: this, item, custom), static (w, s) =>
        {
            s.self.WritePosition(w);
            w.WriteString("name", s.item.Name);
            w.WriteString(s.custom ? "input" : "arguments", s.item.Payload);
        }));
    }

    /// <summary>Writes <c>item_id</c> and <c>output_index</c> of the last item.</summary>
    private void WritePosition(Utf8JsonWriter w)
    {
        w.WriteString("item_id", _items[^1].Id);
        w.WriteNumber("output_index", _items.Count - 1);
    }

    private SseFrame ItemEvent(string type, ResponsesOutputItem item, string status) =>
        Event(type, (index: _items.Count - 1, item, status), static (w, s) =>
        {
            w.WriteNumber("output_index", s.index);
            w.WritePropertyName("item");
            ResponsesEdgeWire.WriteItem(w, s.item, s.status);
        });

    private SseFrame PartEvent(string type, string text) =>
        Event(type, (self: this, text), static (w, s) =>
        {
            s.self.WritePosition(w);
            w.WriteNumber("content_index", 0);
            w.WritePropertyName("part");
            ResponsesEdgeWire.WriteTextPart(w, s.text);
        });

    private SseFrame ResponseEvent(string type, string status, string? incompleteReason = null, string? errorCode = null, string? errorMessage = null)
    {
        var snapshot = new ResponsesEdgeWire.Snapshot(id, created, model, status, _items, status == "in_progress" ? null : _usage,
            incompleteReason, errorCode, errorMessage);
        return Event(type, (context, snapshot), static (w, s) =>
        {
            w.WritePropertyName("response");
            ResponsesEdgeWire.WriteResponse(w, s.context, s.snapshot);
        });
    }

    /// <summary>An event <c>{"type", "sequence_number", …}</c> whose other members <paramref name="write"/> writes.</summary>
    private SseFrame Event<T>(string type, T state, Action<Utf8JsonWriter, T> write) =>
        new(type, EdgeJsonWriter.Build((type, sequence: _sequence++, state, write), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("type", s.type);
            w.WriteNumber("sequence_number", s.sequence);
            s.write(w, s.state);
            w.WriteEndObject();
        }));
}
