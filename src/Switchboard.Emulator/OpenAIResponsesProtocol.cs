using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Emulator;

/// <summary>
/// The OpenAI Responses API (<c>POST /v1/responses</c>): output items (<c>reasoning</c>, <c>web_search_call</c>, <c>message</c>,
/// <c>function_call</c> / <c>custom_tool_call</c>), usage with cached and reasoning tokens, and the typed SSE event sequence.
/// Errors, headers and statuses are Chat Completions' (the same API family).
/// </summary>
internal sealed class OpenAIResponsesProtocol : IProviderProtocol
{
    private readonly OpenAIProtocol _errors = new();

    public string Name => "openai";

    public ChatCall Parse(JsonObject body, string? pathModel, bool streamFromPath) => ResponsesRequestReader.Read(body, Name);

    public void AddHeaders(HttpResponse response, string requestId) => _errors.AddHeaders(response, requestId);

    public int StatusFor(string kind) => _errors.StatusFor(kind);

    public JsonObject ErrorBody(int status, string kind, string? message, string model, string requestId, FaultSpec fault) =>
        _errors.ErrorBody(status, kind, message, model, requestId, fault);

    public JsonObject Response(ChatCall call, Reply reply, string responseId, long created)
    {
        var output = new JsonArray();
        foreach (var item in Items(call, reply, responseId))
        {
            output.Add(item.Done);
        }

        return Envelope(call, reply, responseId, created, Status(reply), output, Usage(call, reply));
    }

    public StreamScript Stream(ChatCall call, Reply reply, string responseId, long created)
    {
        var script = new StreamScript();
        var events = new EventWriter();
        var inProgress = Envelope(call, reply, responseId, created, "in_progress", [], null);
        script.Prelude.Add(events.Frame("response.created", new JsonObject { ["response"] = inProgress.DeepClone() }));
        script.Prelude.Add(events.Frame("response.in_progress", new JsonObject { ["response"] = inProgress }));
        // Frames before the first delta open the stream, deltas are the content chunks faults count, the rest closes it.
        var phase = script.Prelude;
        void Add(string type, JsonObject data, bool isContent)
        {
            phase = isContent ? script.Content : phase == script.Prelude ? phase : script.Epilogue;
            phase.Add(events.Frame(type, data));
        }

        var items = Items(call, reply, responseId);
        for (var index = 0; index < items.Count; index++)
        {
            var item = items[index];
            Add("response.output_item.added", new JsonObject { ["output_index"] = index, ["item"] = item.Added }, false);
            foreach (var (type, data, isContent) in item.Events)
            {
                data["item_id"] = item.Done["id"]!.DeepClone();
                data["output_index"] = index;
                Add(type, data, isContent);
            }

            Add("response.output_item.done", new JsonObject { ["output_index"] = index, ["item"] = item.Done.DeepClone() }, false);
        }

        var output = new JsonArray([.. items.Select(i => (JsonNode)i.Done.DeepClone())]);
        var status = Status(reply);
        script.Epilogue.Add(events.Frame(status == "completed" ? "response.completed" : "response.incomplete", new JsonObject
        {
            ["response"] = Envelope(call, reply, responseId, created, status, output, Usage(call, reply)),
        }));
        return script;
    }

    /// <summary>An <c>error</c> event, then <c>response.failed</c> (the emulator does not track the stream's sequence numbers here).</summary>
    public string InStreamError(string requestId)
    {
        const string Message = "The server had an error while processing your request (emulated mid-stream failure).";
        var error = new JsonObject { ["type"] = "error", ["sequence_number"] = 0, ["code"] = "server_error", ["message"] = Message, ["param"] = null };
        var failed = new JsonObject
        {
            ["type"] = "response.failed", ["sequence_number"] = 1,
            ["response"] = new JsonObject
            {
                ["id"] = requestId, ["object"] = "response", ["status"] = "failed",
                ["error"] = new JsonObject { ["code"] = "server_error", ["message"] = Message }, ["output"] = new JsonArray(),
            },
        };
        return $"event: error\ndata: {error.ToJsonString()}\n\nevent: response.failed\ndata: {failed.ToJsonString()}\n\n";
    }

    public string MalformedFrame() => "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\n\n";

    /// <summary>One output item: as first announced, as finished, and the events between (flagged when they are content deltas).</summary>
    private sealed record OutputItem(JsonObject Added, JsonObject Done, List<(string Type, JsonObject Data, bool IsContent)> Events);

    private static List<OutputItem> Items(ChatCall call, Reply reply, string responseId)
    {
        var info = call.Responses!;
        var items = new List<OutputItem>();
        if (info.ReasoningEffort is not null)
        {
            items.Add(ReasoningItem(call, info, $"rs_{responseId}"));
        }

        if (info.WebSearch && reply.ToolCall is null)
        {
            var search = new JsonObject
            {
                ["id"] = $"ws_{responseId}", ["type"] = "web_search_call", ["status"] = "completed",
                ["action"] = new JsonObject { ["type"] = "search", ["query"] = call.LastUserText },
            };
            var added = (JsonObject)search.DeepClone();
            added["status"] = "in_progress";
            items.Add(new OutputItem(added, search,
            [
                ("response.web_search_call.in_progress", [], false),
                ("response.web_search_call.searching", [], false),
                ("response.web_search_call.completed", [], false),
            ]));
        }

        if (reply.ToolCall is { } tool)
        {
            items.Add(CallItem(info, tool));
        }
        else if (reply.Finish != ReplyFinish.ContentFilter)
        {
            items.Add(MessageItem(reply, $"msg_{responseId}"));
        }

        return items;
    }

    private static OutputItem ReasoningItem(ChatCall call, ResponsesCallInfo info, string id)
    {
        var summaryText = SummaryText(call, info);
        var done = new JsonObject { ["id"] = id, ["type"] = "reasoning", ["summary"] = new JsonArray() };
        var events = new List<(string, JsonObject, bool)>();
        if (info.ReasoningSummary is not null)
        {
            ((JsonArray)done["summary"]!).Add(new JsonObject { ["type"] = "summary_text", ["text"] = summaryText });
            var part = () => new JsonObject { ["type"] = "summary_text", ["text"] = "" };
            events.Add(("response.reasoning_summary_part.added", new JsonObject { ["summary_index"] = 0, ["part"] = part() }, false));
            events.Add(("response.reasoning_summary_text.delta", new JsonObject { ["summary_index"] = 0, ["delta"] = summaryText }, false));
            events.Add(("response.reasoning_summary_text.done", new JsonObject { ["summary_index"] = 0, ["text"] = summaryText }, false));
            events.Add(("response.reasoning_summary_part.done", new JsonObject
            {
                ["summary_index"] = 0, ["part"] = new JsonObject { ["type"] = "summary_text", ["text"] = summaryText },
            }, false));
        }

        if (info.IncludeEncryptedReasoning)
        {
            done["encrypted_content"] = ReasoningSeal.Mint(id);
        }

        return new OutputItem(new JsonObject { ["id"] = id, ["type"] = "reasoning", ["summary"] = new JsonArray() }, done, events);
    }

    private static string SummaryText(ChatCall call, ResponsesCallInfo info) =>
        string.Create(CultureInfo.InvariantCulture, $"Emulated reasoning ({info.ReasoningEffort} effort) about the last user text.");

    private static OutputItem MessageItem(Reply reply, string id)
    {
        var status = reply.Finish == ReplyFinish.Length ? "incomplete" : "completed";
        var done = new JsonObject
        {
            ["id"] = id, ["type"] = "message", ["status"] = status, ["role"] = "assistant",
            ["content"] = new JsonArray(TextPart(reply.Text)),
        };
        var events = new List<(string, JsonObject, bool)>
        {
            ("response.content_part.added", new JsonObject { ["content_index"] = 0, ["part"] = TextPart("") }, false),
        };
        foreach (var piece in reply.Pieces)
        {
            events.Add(("response.output_text.delta", new JsonObject { ["content_index"] = 0, ["delta"] = piece, ["logprobs"] = new JsonArray() }, true));
        }

        events.Add(("response.output_text.done", new JsonObject { ["content_index"] = 0, ["text"] = reply.Text, ["logprobs"] = new JsonArray() }, false));
        events.Add(("response.content_part.done", new JsonObject { ["content_index"] = 0, ["part"] = TextPart(reply.Text) }, false));
        var added = new JsonObject { ["id"] = id, ["type"] = "message", ["status"] = "in_progress", ["role"] = "assistant", ["content"] = new JsonArray() };
        return new OutputItem(added, done, events);
    }

    private static OutputItem CallItem(ResponsesCallInfo info, ToolCallReply tool)
    {
        var custom = info.CustomTools.Contains(tool.Name);
        var id = (custom ? "ctc_" : "fc_") + tool.Id;
        var payload = custom ? (JsonText.Str(tool.Arguments["input"]) ?? "") : tool.ArgumentsJson;
        var field = custom ? "input" : "arguments";
        JsonObject Item(string status, string value)
        {
            var item = new JsonObject
            {
                ["id"] = id, ["type"] = custom ? "custom_tool_call" : "function_call", ["status"] = status, ["call_id"] = tool.Id, ["name"] = tool.Name,
            };
            if (info.Namespaces.TryGetValue(tool.Name, out var ns))
            {
                item["namespace"] = ns;
            }

            item[field] = value;
            return item;
        }

        var prefix = custom ? "response.custom_tool_call_input" : "response.function_call_arguments";
        var pieces = EmulatorTokenizer.Split(payload);
        var events = new List<(string, JsonObject, bool)>();
        foreach (var piece in pieces.Count > 0 ? pieces : [""])
        {
            events.Add((prefix + ".delta", new JsonObject { ["delta"] = piece }, true));
        }

        var done = new JsonObject { [field] = payload };
        if (!custom)
        {
            done["name"] = tool.Name;
        }

        events.Add((prefix + ".done", done, false));
        return new OutputItem(Item("in_progress", ""), Item("completed", payload), events);
    }

    private static JsonObject TextPart(string text) => new()
    {
        ["type"] = "output_text", ["text"] = text, ["annotations"] = new JsonArray(), ["logprobs"] = new JsonArray(),
    };

    private static string Status(Reply reply) => reply.Finish is ReplyFinish.Length or ReplyFinish.ContentFilter ? "incomplete" : "completed";

    private static JsonObject Envelope(ChatCall call, Reply reply, string id, long created, string status, JsonArray output, JsonObject? usage)
    {
        var echo = call.Responses!.Echo;
        var response = new JsonObject
        {
            ["id"] = id, ["object"] = "response", ["created_at"] = created, ["status"] = status, ["background"] = false, ["error"] = null,
            ["incomplete_details"] = status == "incomplete"
                ? new JsonObject { ["reason"] = reply.Finish == ReplyFinish.ContentFilter ? "content_filter" : "max_output_tokens" }
                : null,
            ["instructions"] = echo["instructions"]?.DeepClone(),
            ["max_output_tokens"] = echo["max_output_tokens"]?.DeepClone(),
            ["model"] = call.Model,
            ["output"] = output,
            ["parallel_tool_calls"] = echo["parallel_tool_calls"]?.DeepClone() ?? true,
            ["previous_response_id"] = null,
            ["reasoning"] = echo["reasoning"]?.DeepClone() ?? new JsonObject { ["effort"] = null, ["summary"] = null },
            ["service_tier"] = "default",
            ["store"] = call.Responses.Store,
            ["temperature"] = echo["temperature"]?.DeepClone() ?? 1.0,
            ["text"] = echo["text"]?.DeepClone() ?? new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } },
            ["tool_choice"] = echo["tool_choice"]?.DeepClone() ?? "auto",
            ["tools"] = echo["tools"]?.DeepClone() ?? new JsonArray(),
            ["top_p"] = echo["top_p"]?.DeepClone() ?? 1.0,
            ["truncation"] = echo["truncation"]?.DeepClone() ?? "disabled",
            ["usage"] = usage,
            ["user"] = echo["user"]?.DeepClone(),
            ["prompt_cache_key"] = echo["prompt_cache_key"]?.DeepClone(),
            ["metadata"] = echo["metadata"]?.DeepClone() ?? new JsonObject(),
        };
        return response;
    }

    /// <summary>
    /// Usage: reasoning tokens are the summary's token count (reasoning happens whether or not a summary is asked for); with a
    /// <c>prompt_cache_key</c>, half of the prompt (rounded down) counts as cached.
    /// </summary>
    private static JsonObject Usage(ChatCall call, Reply reply)
    {
        var info = call.Responses!;
        var reasoning = info.ReasoningEffort is null ? 0 : EmulatorTokenizer.Count(SummaryText(call, info));
        var output = reply.CompletionTokens + reasoning;
        return new JsonObject
        {
            ["input_tokens"] = reply.PromptTokens,
            ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = info.PromptCacheKey is null ? 0 : reply.PromptTokens / 2 },
            ["output_tokens"] = output,
            ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = reasoning },
            ["total_tokens"] = reply.PromptTokens + output,
        };
    }

    /// <summary>Frames typed events (<c>event:</c> + <c>data:</c> with the same <c>type</c>) with a rising <c>sequence_number</c>.</summary>
    private sealed class EventWriter
    {
        private int _sequence;

        public string Frame(string type, JsonObject data)
        {
            var payload = new JsonObject { ["type"] = type, ["sequence_number"] = _sequence++ };
            foreach (var (key, value) in data.ToList())
            {
                data.Remove(key);
                payload[key] = value;
            }

            return $"event: {type}\ndata: {payload.ToJsonString()}\n\n";
        }
    }
}
