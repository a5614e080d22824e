using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Emulator;

/// <summary>OpenAI Chat Completions (also served on the Azure OpenAI deployment path).</summary>
internal sealed class OpenAIProtocol : IProviderProtocol
{
    private const string Delimiter = "\n\n";

    public string Name => "openai";

    public ChatCall Parse(JsonObject body, string? pathModel, bool streamFromPath)
    {
        var model = pathModel ?? JsonText.Str(body["model"]) ?? throw new InvalidRequestException("you must provide a model parameter");
        if (body["messages"] is not JsonArray { Count: > 0 } messages)
        {
            throw new InvalidRequestException("Missing required parameter: 'messages'.");
        }

        var prompt = new StringBuilder();
        var hasSystem = false;
        var images = 0;
        var lastUser = "";
        string? toolResult = null;
        foreach (var message in messages.OfType<JsonObject>())
        {
            var role = JsonText.Str(message["role"]) ?? throw new InvalidRequestException("Missing required parameter: 'messages[].role'.");
            var text = ContentText(message["content"], ref images);
            JsonText.Append(prompt, text);
            if (message["tool_calls"] is JsonArray calls)
            {
                JsonText.Append(prompt, calls.ToJsonString());
            }

            hasSystem |= role is "system" or "developer";
            toolResult = role == "tool" ? $"{JsonText.Str(message["tool_call_id"])}: {text}" : null;
            if (role == "user")
            {
                lastUser = text;
            }
        }

        var tools = new List<ToolDefinition>();
        foreach (var function in (body["tools"] as JsonArray ?? []).OfType<JsonObject>().Select(t => t["function"]).OfType<JsonObject>())
        {
            if (JsonText.Str(function["name"]) is { } name)
            {
                tools.Add(new ToolDefinition(name, function["parameters"]));
                JsonText.Append(prompt, function.ToJsonString());
            }
        }

        var choice = body["tool_choice"];
        var forcedName = JsonText.Str((choice as JsonObject)?["function"]?["name"]);
        var format = body["response_format"] as JsonObject;
        var formatType = JsonText.Str(format?["type"]);
        return new ChatCall
        {
            Protocol = Name,
            Model = model,
            Stream = JsonText.Bool(body["stream"]),
            IncludeUsage = JsonText.Bool(body["stream_options"]?["include_usage"]),
            MessageCount = messages.Count,
            HasSystem = hasSystem,
            ImageCount = images,
            LastUserText = lastUser,
            LastToolResult = toolResult,
            PromptText = prompt.ToString(),
            MaxTokens = JsonText.Int(body["max_completion_tokens"]) ?? JsonText.Int(body["max_tokens"]),
            StopSequences = JsonText.Strings(body["stop"]),
            JsonMode = formatType is "json_object" or "json_schema",
            JsonSchema = formatType == "json_schema" ? format?["json_schema"]?["schema"] : null,
            Tools = tools,
            ForceTool = tools.Count > 0 && (JsonText.Str(choice) == "required" || forcedName is not null),
            AllowedTools = forcedName is null ? [] : [forcedName],
        };
    }

    public void AddHeaders(HttpResponse response, string requestId)
    {
        response.Headers["x-request-id"] = requestId;
        response.Headers["openai-processing-ms"] = "1";
        response.Headers["x-ratelimit-limit-requests"] = "10000";
        response.Headers["x-ratelimit-remaining-requests"] = "9999";
        response.Headers["x-ratelimit-reset-requests"] = "6ms";
    }

    public int StatusFor(string kind) => kind switch
    {
        ErrorKinds.RateLimit or ErrorKinds.Quota => 429,
        ErrorKinds.Overloaded => 503,
        ErrorKinds.Auth => 401,
        ErrorKinds.Permission => 403,
        ErrorKinds.NotFound => 404,
        ErrorKinds.Server => 500,
        _ => 400,
    };

    public JsonObject ErrorBody(int status, string kind, string? message, string model, string requestId, FaultSpec fault)
    {
        var (type, code, text) = kind switch
        {
            ErrorKinds.Quota => ("insufficient_quota", "insufficient_quota", "You exceeded your current quota, please check your plan and billing details."),
            ErrorKinds.RateLimit => ("requests", "rate_limit_exceeded", $"Rate limit reached for {model} (emulated) on requests per min (RPM): Limit 3, Used 3, Requested 1."),
            ErrorKinds.ContextLength => ("invalid_request_error", "context_length_exceeded", "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages."),
            ErrorKinds.Auth => ("invalid_request_error", "invalid_api_key", "Incorrect API key provided (emulated)."),
            ErrorKinds.Permission => ("request_forbidden", "unsupported_country_region_territory", "Country, region, or territory not supported"),
            ErrorKinds.NotFound => ("invalid_request_error", "model_not_found", $"The model `{model}` does not exist or you do not have access to it."),
            ErrorKinds.Overloaded => ("server_error", (string?)null, "The server is overloaded or not ready yet (emulated)."),
            ErrorKinds.Server or ErrorKinds.Timeout => ("server_error", null, "The server had an error while processing your request (emulated)."),
            _ => ("invalid_request_error", null, "Invalid request (emulated)."),
        };
        return new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message ?? text, ["type"] = type, ["param"] = null, ["code"] = code },
        };
    }

    public JsonObject Response(ChatCall call, Reply reply, string responseId, long created)
    {
        var message = new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = reply.ToolCall is null ? reply.Text : null,
            ["refusal"] = null,
            ["annotations"] = new JsonArray(),
        };
        if (reply.ToolCall is { } tool)
        {
            message["tool_calls"] = new JsonArray(new JsonObject
            {
                ["id"] = tool.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = tool.Name, ["arguments"] = tool.ArgumentsJson },
            });
        }

        var result = Envelope("chat.completion", call, responseId, created);
        result["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0, ["message"] = message, ["logprobs"] = null, ["finish_reason"] = FinishReason(reply.Finish),
        });
        result["usage"] = Usage(reply);
        return result;
    }

    public StreamScript Stream(ChatCall call, Reply reply, string responseId, long created)
    {
        var script = new StreamScript();
        script.Prelude.Add(Chunk(call, responseId, created, new JsonObject { ["role"] = "assistant", ["content"] = reply.ToolCall is null ? "" : null, ["refusal"] = null }, null));
        if (reply.ToolCall is { } tool)
        {
            script.Content.Add(Chunk(call, responseId, created, ToolDelta(new JsonObject
            {
                ["index"] = 0, ["id"] = tool.Id, ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = tool.Name, ["arguments"] = "" },
            }), null));
            foreach (var piece in tool.ArgumentPieces())
            {
                script.Content.Add(Chunk(call, responseId, created, ToolDelta(new JsonObject
                {
                    ["index"] = 0, ["function"] = new JsonObject { ["arguments"] = piece },
                }), null));
            }
        }

        foreach (var piece in reply.Pieces)
        {
            script.Content.Add(Chunk(call, responseId, created, new JsonObject { ["content"] = piece }, null));
        }

        script.Epilogue.Add(Chunk(call, responseId, created, [], FinishReason(reply.Finish)));
        if (call.IncludeUsage)
        {
            var usage = Envelope("chat.completion.chunk", call, responseId, created);
            usage["choices"] = new JsonArray();
            usage["usage"] = Usage(reply);
            script.Epilogue.Add(Frame(usage));
        }

        script.Epilogue.Add("data: [DONE]" + Delimiter);
        return script;
    }

    public string InStreamError(string requestId) => Frame(new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = "The server had an error while processing your request (emulated mid-stream failure).",
            ["type"] = "server_error", ["param"] = null, ["code"] = null,
        },
    });

    public string MalformedFrame() => "data: {\"id\":\"chatcmpl-broken\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":" + Delimiter;

    private static string Chunk(ChatCall call, string id, long created, JsonObject delta, string? finish)
    {
        var chunk = Envelope("chat.completion.chunk", call, id, created);
        chunk["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finish,
        });
        if (call.IncludeUsage)
        {
            chunk["usage"] = null;
        }

        return Frame(chunk);
    }

    private static JsonObject ToolDelta(JsonObject toolCall) => new() { ["tool_calls"] = new JsonArray(toolCall) };

    private static JsonObject Envelope(string type, ChatCall call, string id, long created) => new()
    {
        ["id"] = id,
        ["object"] = type,
        ["created"] = created,
        ["model"] = call.Model,
        ["service_tier"] = "default",
        ["system_fingerprint"] = "fp_emulator",
    };

    private static JsonObject Usage(Reply reply) => new()
    {
        ["prompt_tokens"] = reply.PromptTokens,
        ["completion_tokens"] = reply.CompletionTokens,
        ["total_tokens"] = reply.TotalTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 0, ["audio_tokens"] = 0 },
        ["completion_tokens_details"] = new JsonObject
        {
            ["reasoning_tokens"] = 0, ["audio_tokens"] = 0, ["accepted_prediction_tokens"] = 0, ["rejected_prediction_tokens"] = 0,
        },
    };

    private static string FinishReason(ReplyFinish finish) => finish switch
    {
        ReplyFinish.Length => "length",
        ReplyFinish.ToolCall => "tool_calls",
        ReplyFinish.ContentFilter => "content_filter",
        _ => "stop",
    };

    private static string Frame(JsonObject json) => "data: " + json.ToJsonString() + Delimiter;

    private static string ContentText(JsonNode? content, ref int images)
    {
        if (JsonText.Str(content) is { } s)
        {
            return s;
        }

        var sb = new StringBuilder();
        foreach (var part in (content as JsonArray ?? []).OfType<JsonObject>())
        {
            switch (JsonText.Str(part["type"]))
            {
                case "text": sb.Append(JsonText.Str(part["text"])); break;
                case "image_url": images++; break;
            }
        }

        return sb.ToString();
    }

    internal static string Id(string prefix, long sequence) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{sequence:D12}");
}
