using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Emulator;

/// <summary>Anthropic Messages: named SSE events, <c>tool_use</c> blocks, <c>{"type":"error"}</c> bodies.</summary>
internal sealed class AnthropicProtocol : IProviderProtocol
{
    public string Name => "anthropic";

    public ChatCall Parse(JsonObject body, string? pathModel, bool streamFromPath) => Parse(body, requireMaxTokens: true);

    /// <summary>Parses a Messages body; count_tokens bodies have no <c>max_tokens</c>.</summary>
    public ChatCall Parse(JsonObject body, bool requireMaxTokens)
    {
        var model = JsonText.Str(body["model"]) ?? throw new InvalidRequestException("model: Field required");
        var maxTokens = JsonText.Int(body["max_tokens"]);
        if (requireMaxTokens && maxTokens is null)
        {
            throw new InvalidRequestException("max_tokens: Field required");
        }

        if (body["messages"] is not JsonArray { Count: > 0 } messages)
        {
            throw new InvalidRequestException("messages: Field required");
        }

        var prompt = new StringBuilder();
        var system = body["system"] switch
        {
            JsonArray blocks => string.Concat(blocks.Select(b => JsonText.Str(b?["text"]))),
            var s => JsonText.Str(s) ?? "",
        };
        JsonText.Append(prompt, system);
        var images = 0;
        var lastUser = "";
        string? toolResult = null;
        foreach (var message in messages.OfType<JsonObject>())
        {
            var role = JsonText.Str(message["role"]);
            toolResult = null;
            var text = new StringBuilder();
            if (JsonText.Str(message["content"]) is { } plain)
            {
                text.Append(plain);
            }

            foreach (var block in (message["content"] as JsonArray ?? []).OfType<JsonObject>())
            {
                switch (JsonText.Str(block["type"]))
                {
                    case "text": text.Append(JsonText.Str(block["text"])); break;
                    case "image": images++; break;
                    case "tool_use": JsonText.Append(prompt, block.ToJsonString()); break;
                    case "tool_result":
                        var resultText = block["content"] is JsonArray parts
                            ? string.Concat(parts.Select(p => JsonText.Str(p?["text"])))
                            : JsonText.Str(block["content"]) ?? "";
                        JsonText.Append(prompt, resultText);
                        toolResult = $"{JsonText.Str(block["tool_use_id"])}: {resultText}";
                        break;
                }
            }

            JsonText.Append(prompt, text.ToString());
            if (role == "user" && text.Length > 0)
            {
                lastUser = text.ToString();
            }
        }

        var tools = new List<ToolDefinition>();
        foreach (var tool in (body["tools"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (JsonText.Str(tool["name"]) is { } name)
            {
                tools.Add(new ToolDefinition(name, tool["input_schema"]));
                JsonText.Append(prompt, tool.ToJsonString());
            }
        }

        var choiceType = JsonText.Str(body["tool_choice"]?["type"]);
        var forcedName = choiceType == "tool" ? JsonText.Str(body["tool_choice"]?["name"]) : null;
        var format = body["output_config"]?["format"] as JsonObject;
        return new ChatCall
        {
            Protocol = Name,
            Model = model,
            Stream = JsonText.Bool(body["stream"]),
            MessageCount = messages.Count,
            HasSystem = system.Length > 0,
            ImageCount = images,
            LastUserText = lastUser,
            LastToolResult = toolResult,
            PromptText = prompt.ToString(),
            MaxTokens = maxTokens,
            StopSequences = JsonText.Strings(body["stop_sequences"]),
            JsonMode = JsonText.Str(format?["type"]) == "json_schema",
            JsonSchema = format?["schema"],
            Tools = tools,
            ForceTool = tools.Count > 0 && choiceType is "any" or "tool",
            AllowedTools = forcedName is null ? [] : [forcedName],
        };
    }

    public void AddHeaders(HttpResponse response, string requestId)
    {
        response.Headers["request-id"] = requestId;
        response.Headers["anthropic-ratelimit-requests-limit"] = "1000";
        response.Headers["anthropic-ratelimit-requests-remaining"] = "999";
    }

    public int StatusFor(string kind) => kind switch
    {
        ErrorKinds.RateLimit => 429,
        ErrorKinds.Overloaded => 529,
        ErrorKinds.Auth => 401,
        ErrorKinds.Permission => 403,
        ErrorKinds.NotFound => 404,
        ErrorKinds.Server => 500,
        _ => 400,
    };

    public JsonObject ErrorBody(int status, string kind, string? message, string model, string requestId, FaultSpec fault)
    {
        var type = status switch
        {
            400 => "invalid_request_error",
            401 => "authentication_error",
            402 => "billing_error",
            403 => "permission_error",
            404 => "not_found_error",
            413 => "request_too_large",
            429 => "rate_limit_error",
            504 => "timeout_error",
            529 => "overloaded_error",
            >= 500 => "api_error",
            _ => "invalid_request_error",
        };
        var text = kind switch
        {
            ErrorKinds.ContextLength => "prompt is too long: 210000 tokens > 200000 maximum",
            ErrorKinds.Quota => "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
            ErrorKinds.RateLimit => "This request would exceed the rate limit for your organization (emulated).",
            ErrorKinds.Overloaded => "Overloaded",
            ErrorKinds.Auth => "invalid x-api-key",
            ErrorKinds.Permission => "Your API key does not have permission to use the specified resource.",
            ErrorKinds.NotFound => $"model: {model}",
            ErrorKinds.Server or ErrorKinds.Timeout => "Internal server error (emulated)",
            _ => "Invalid request (emulated).",
        };
        return new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = type, ["message"] = message ?? text },
            ["request_id"] = requestId,
        };
    }

    public JsonObject Response(ChatCall call, Reply reply, string responseId, long created)
    {
        var content = new JsonArray();
        if (reply.ToolCall is { } tool)
        {
            content.Add(new JsonObject { ["type"] = "tool_use", ["id"] = tool.Id, ["name"] = tool.Name, ["input"] = tool.Arguments.DeepClone() });
        }
        else if (reply.Finish != ReplyFinish.ContentFilter)
        {
            content.Add(new JsonObject { ["type"] = "text", ["text"] = reply.Text });
        }

        var message = Message(call, responseId, content, StopReason(reply.Finish), reply.MatchedStop);
        message["usage"] = Usage(reply.PromptTokens, reply.CompletionTokens);
        return message;
    }

    public StreamScript Stream(ChatCall call, Reply reply, string responseId, long created)
    {
        var script = new StreamScript();
        var start = Message(call, responseId, [], null, null);
        start["usage"] = Usage(reply.PromptTokens, 1);
        script.Prelude.Add(Event("message_start", new JsonObject { ["type"] = "message_start", ["message"] = start }));
        var hasBlock = reply.Finish != ReplyFinish.ContentFilter;
        if (reply.ToolCall is { } tool)
        {
            script.Prelude.Add(Ping());
            script.Content.Add(BlockStart(new JsonObject
            {
                ["type"] = "tool_use", ["id"] = tool.Id, ["name"] = tool.Name, ["input"] = new JsonObject(),
            }));
            foreach (var piece in tool.ArgumentPieces())
            {
                script.Content.Add(Delta(new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = piece }));
            }
        }
        else if (hasBlock)
        {
            script.Prelude.Add(BlockStart(new JsonObject { ["type"] = "text", ["text"] = "" }));
            script.Prelude.Add(Ping());
            foreach (var piece in reply.Pieces)
            {
                script.Content.Add(Delta(new JsonObject { ["type"] = "text_delta", ["text"] = piece }));
            }
        }

        if (hasBlock)
        {
            script.Epilogue.Add(Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 }));
        }

        script.Epilogue.Add(Event("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = StopReason(reply.Finish), ["stop_sequence"] = reply.MatchedStop },
            ["usage"] = new JsonObject { ["output_tokens"] = reply.CompletionTokens },
        }));
        script.Epilogue.Add(Event("message_stop", new JsonObject { ["type"] = "message_stop" }));
        return script;
    }

    public string InStreamError(string requestId) => Event("error", new JsonObject
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = "overloaded_error", ["message"] = "Overloaded" },
        ["request_id"] = requestId,
    });

    public string MalformedFrame() =>
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\n\n";

    private static JsonObject Message(ChatCall call, string id, JsonArray content, string? stopReason, string? stopSequence) => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = call.Model,
        ["content"] = content,
        ["stop_reason"] = stopReason,
        ["stop_sequence"] = stopSequence,
    };

    private static JsonObject Usage(int input, int output) => new()
    {
        ["input_tokens"] = input,
        ["cache_creation_input_tokens"] = 0,
        ["cache_read_input_tokens"] = 0,
        ["output_tokens"] = output,
        ["service_tier"] = "standard",
    };

    private static string StopReason(ReplyFinish finish) => finish switch
    {
        ReplyFinish.Length => "max_tokens",
        ReplyFinish.StopSequence => "stop_sequence",
        ReplyFinish.ToolCall => "tool_use",
        ReplyFinish.ContentFilter => "refusal",
        _ => "end_turn",
    };

    private static string BlockStart(JsonObject block) =>
        Event("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = 0, ["content_block"] = block });

    private static string Delta(JsonObject delta) =>
        Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = delta });

    private static string Ping() => Event("ping", new JsonObject { ["type"] = "ping" });

    private static string Event(string name, JsonObject data) => "event: " + name + "\ndata: " + data.ToJsonString() + "\n\n";
}
