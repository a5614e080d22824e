using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Emulator;

/// <summary>
/// OpenAI <c>POST /v1/responses/input_tokens</c>: a Responses body (<c>instructions</c>, <c>input</c> as a string or items,
/// function <c>tools</c>) read as the equivalent Chat Completions request, so its count is the tokens a generation with
/// the same content reports. Errors and headers are OpenAI's.
/// </summary>
internal sealed class ResponsesInputTokensProtocol(OpenAIProtocol openAI) : IProviderProtocol
{
    public string Name => openAI.Name;

    public ChatCall Parse(JsonObject body, string? pathModel, bool streamFromPath) => openAI.Parse(ToChat(body), pathModel, false);

    /// <summary>The Chat Completions body with the same content.</summary>
    internal static JsonObject ToChat(JsonObject body)
    {
        var messages = new JsonArray();
        if (JsonText.Str(body["instructions"]) is { Length: > 0 } instructions)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = instructions });
        }

        if (JsonText.Str(body["input"]) is { } text)
        {
            messages.Add(new JsonObject { ["role"] = "user", ["content"] = text });
        }

        foreach (var item in (body["input"] as JsonArray ?? []).OfType<JsonObject>())
        {
            switch (JsonText.Str(item["type"]) ?? "message")
            {
                case "message":
                    messages.Add(new JsonObject { ["role"] = JsonText.Str(item["role"]) ?? "user", ["content"] = Parts(item["content"]) });
                    break;
                case "function_call":
                    var call = new JsonObject
                    {
                        ["id"] = JsonText.Str(item["call_id"]),
                        ["type"] = "function",
                        ["function"] = new JsonObject { ["name"] = JsonText.Str(item["name"]), ["arguments"] = JsonText.Str(item["arguments"]) ?? "{}" },
                    };
                    messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = "", ["tool_calls"] = new JsonArray(call) });
                    break;
                case "function_call_output":
                    messages.Add(new JsonObject { ["role"] = "tool", ["tool_call_id"] = JsonText.Str(item["call_id"]), ["content"] = JsonText.Str(item["output"]) ?? "" });
                    break;
            }
        }

        if (messages.Count == 0)
        {
            throw new InvalidRequestException("Missing required parameter: 'input'.");
        }

        var tools = new JsonArray();
        foreach (var tool in (body["tools"] as JsonArray ?? []).OfType<JsonObject>().Where(t => JsonText.Str(t["type"]) == "function"))
        {
            tools.Add(new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = JsonText.Str(tool["name"]), ["parameters"] = tool["parameters"]?.DeepClone() },
            });
        }

        return new JsonObject { ["model"] = body["model"]?.DeepClone(), ["messages"] = messages, ["tools"] = tools };
    }

    // Responses content parts (input_text, output_text, input_image) as Chat Completions parts.
    private static JsonNode Parts(JsonNode? content)
    {
        if (JsonText.Str(content) is { } s)
        {
            return s;
        }

        var parts = new JsonArray();
        foreach (var part in (content as JsonArray ?? []).OfType<JsonObject>())
        {
            parts.Add(JsonText.Str(part["type"]) is "input_image"
                ? new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = JsonText.Str(part["image_url"]) } }
                : new JsonObject { ["type"] = "text", ["text"] = JsonText.Str(part["text"]) ?? "" });
        }

        return parts;
    }

    public void AddHeaders(HttpResponse response, string requestId) => openAI.AddHeaders(response, requestId);

    public int StatusFor(string kind) => openAI.StatusFor(kind);

    public JsonObject ErrorBody(int status, string kind, string? message, string model, string requestId, FaultSpec fault) =>
        openAI.ErrorBody(status, kind, message, model, requestId, fault);

    public JsonObject Response(ChatCall call, Reply reply, string responseId, long created) => openAI.Response(call, reply, responseId, created);

    public StreamScript Stream(ChatCall call, Reply reply, string responseId, long created) => openAI.Stream(call, reply, responseId, created);

    public string InStreamError(string requestId) => openAI.InStreamError(requestId);

    public string MalformedFrame() => openAI.MalformedFrame();
}
