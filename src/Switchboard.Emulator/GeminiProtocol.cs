using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Emulator;

/// <summary>Gemini generateContent / streamGenerateContent: <c>data: </c> + compact JSON + CRLF CRLF, google.rpc.Status errors.</summary>
internal sealed class GeminiProtocol : IProviderProtocol
{
    private const string Delimiter = "\r\n\r\n";

    public string Name => "gemini";

    public ChatCall Parse(JsonObject body, string? pathModel, bool streamFromPath)
    {
        var model = pathModel ?? throw new InvalidRequestException("* GenerateContentRequest.model: model is not specified");
        if (body["generateContentRequest"] is JsonObject whole)
        {
            body = whole; // a countTokens body counting the whole request (system instruction and tools too)
        }

        if (body["contents"] is not JsonArray { Count: > 0 } contents)
        {
            throw new InvalidRequestException("* GenerateContentRequest.contents: contents is not specified");
        }

        var prompt = new StringBuilder();
        var system = string.Concat((body["systemInstruction"]?["parts"] as JsonArray ?? []).Select(p => JsonText.Str(p?["text"])));
        JsonText.Append(prompt, system);
        var images = 0;
        var lastUser = "";
        string? toolResult = null;
        foreach (var content in contents.OfType<JsonObject>())
        {
            toolResult = null;
            var text = new StringBuilder();
            foreach (var part in (content["parts"] as JsonArray ?? []).OfType<JsonObject>())
            {
                text.Append(JsonText.Str(part["text"]));
                if (JsonText.Str(part["inlineData"]?["mimeType"] ?? part["fileData"]?["mimeType"]) is { } mime
                    && mime.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
                {
                    images++;
                }

                if (part["functionCall"] is JsonObject call)
                {
                    JsonText.Append(prompt, call.ToJsonString());
                }

                if (part["functionResponse"] is JsonObject response)
                {
                    var responseText = response["response"]?.ToJsonString() ?? "";
                    JsonText.Append(prompt, responseText);
                    toolResult = $"{JsonText.Str(response["name"])}: {responseText}";
                }
            }

            JsonText.Append(prompt, text.ToString());
            if (JsonText.Str(content["role"]) is null or "user" && text.Length > 0)
            {
                lastUser = text.ToString();
            }
        }

        var tools = new List<ToolDefinition>();
        foreach (var declaration in (body["tools"] as JsonArray ?? []).SelectMany(t => t?["functionDeclarations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (JsonText.Str(declaration["name"]) is { } name)
            {
                tools.Add(new ToolDefinition(name, declaration["parameters"] ?? declaration["parametersJsonSchema"]));
                JsonText.Append(prompt, declaration.ToJsonString());
            }
        }

        var calling = body["toolConfig"]?["functionCallingConfig"];
        var config = body["generationConfig"] as JsonObject;
        return new ChatCall
        {
            Protocol = Name,
            Model = model,
            Stream = streamFromPath,
            MessageCount = contents.Count,
            HasSystem = system.Length > 0,
            ImageCount = images,
            LastUserText = lastUser,
            LastToolResult = toolResult,
            PromptText = prompt.ToString(),
            MaxTokens = JsonText.Int(config?["maxOutputTokens"]),
            StopSequences = JsonText.Strings(config?["stopSequences"]),
            JsonMode = string.Equals(JsonText.Str(config?["responseMimeType"]), "application/json", StringComparison.OrdinalIgnoreCase),
            JsonSchema = config?["responseSchema"] ?? config?["responseJsonSchema"],
            Tools = tools,
            ForceTool = tools.Count > 0 && string.Equals(JsonText.Str(calling?["mode"]), "ANY", StringComparison.OrdinalIgnoreCase),
            AllowedTools = JsonText.Strings(calling?["allowedFunctionNames"]),
        };
    }

    public void AddHeaders(HttpResponse response, string requestId)
    {
        response.Headers["server"] = "scaffolding on HTTPServer2 (emulated)";
    }

    public int StatusFor(string kind) => kind switch
    {
        ErrorKinds.RateLimit or ErrorKinds.Quota => 429,
        ErrorKinds.Overloaded => 503,
        ErrorKinds.Permission => 403,
        ErrorKinds.NotFound => 404,
        ErrorKinds.Server => 500,
        _ => 400,
    };

    public JsonObject ErrorBody(int status, string kind, string? message, string model, string requestId, FaultSpec fault)
    {
        var statusName = status switch
        {
            400 => "INVALID_ARGUMENT",
            401 => "UNAUTHENTICATED",
            403 => "PERMISSION_DENIED",
            404 => "NOT_FOUND",
            409 => "ABORTED",
            429 => "RESOURCE_EXHAUSTED",
            499 => "CANCELLED",
            501 => "UNIMPLEMENTED",
            503 => "UNAVAILABLE",
            504 => "DEADLINE_EXCEEDED",
            >= 500 => "INTERNAL",
            _ => "FAILED_PRECONDITION",
        };
        var text = kind switch
        {
            ErrorKinds.Auth => "API key not valid. Please pass a valid API key.",
            ErrorKinds.ContextLength => "The input token count exceeds the maximum number of tokens allowed (1048576).",
            ErrorKinds.RateLimit or ErrorKinds.Quota => "You exceeded your current quota, please check your plan and billing details.",
            ErrorKinds.Overloaded => "The model is overloaded. Please try again later.",
            ErrorKinds.Permission => "The caller does not have permission",
            ErrorKinds.NotFound => $"models/{model} is not found for API version v1beta, or is not supported for generateContent.",
            ErrorKinds.Server or ErrorKinds.Timeout => "An internal error has occurred (emulated).",
            _ => "Invalid request (emulated).",
        };
        var details = new JsonArray();
        if (kind == ErrorKinds.Auth)
        {
            details.Add(new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo",
                ["reason"] = "API_KEY_INVALID",
                ["domain"] = "googleapis.com",
            });
        }

        var retrySeconds = fault.RetryAfterSeconds ?? (fault.RetryAfterMs is { } ms ? (ms + 999) / 1000 : null);
        if (status == 429 && retrySeconds is { } seconds)
        {
            details.Add(new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.RetryInfo",
                ["retryDelay"] = seconds.ToString(CultureInfo.InvariantCulture) + "s",
            });
        }

        var error = new JsonObject { ["code"] = status, ["message"] = message ?? text, ["status"] = statusName };
        if (details.Count > 0)
        {
            error["details"] = details;
        }

        return new JsonObject { ["error"] = error };
    }

    public JsonObject Response(ChatCall call, Reply reply, string responseId, long created) =>
        Chunk(call, reply, responseId, Parts(reply, reply.Text), last: true);

    public StreamScript Stream(ChatCall call, Reply reply, string responseId, long created)
    {
        var script = new StreamScript();
        if (reply.ToolCall is not null || reply.Pieces.Count == 0)
        {
            script.Content.Add(Frame(Response(call, reply, responseId, created)));
            return script;
        }

        for (var i = 0; i < reply.Pieces.Count; i++)
        {
            var last = i == reply.Pieces.Count - 1;
            script.Content.Add(Frame(Chunk(call, reply, responseId, Parts(reply, reply.Pieces[i]), last)));
        }

        return script;
    }

    public string InStreamError(string requestId) => Frame(new JsonObject
    {
        ["error"] = new JsonObject { ["code"] = 503, ["message"] = "The model is overloaded. Please try again later.", ["status"] = "UNAVAILABLE" },
    });

    public string MalformedFrame() => "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":" + Delimiter;

    private static JsonArray Parts(Reply reply, string text) => reply.ToolCall is { } tool
        ? new JsonArray(new JsonObject { ["functionCall"] = new JsonObject { ["name"] = tool.Name, ["args"] = tool.Arguments.DeepClone() } })
        : new JsonArray(new JsonObject { ["text"] = text });

    private static JsonObject Chunk(ChatCall call, Reply reply, string responseId, JsonArray parts, bool last)
    {
        var usage = new JsonObject { ["promptTokenCount"] = reply.PromptTokens };
        if (last)
        {
            usage["candidatesTokenCount"] = reply.CompletionTokens;
        }

        usage["totalTokenCount"] = last ? reply.TotalTokens : reply.PromptTokens;
        usage["promptTokensDetails"] = new JsonArray(new JsonObject { ["modality"] = "TEXT", ["tokenCount"] = reply.PromptTokens });
        var result = new JsonObject();
        if (reply.Finish == ReplyFinish.ContentFilter)
        {
            result["promptFeedback"] = new JsonObject { ["blockReason"] = "SAFETY" };
        }
        else
        {
            var candidate = new JsonObject { ["content"] = new JsonObject { ["parts"] = parts, ["role"] = "model" } };
            if (last)
            {
                candidate["finishReason"] = reply.Finish == ReplyFinish.Length ? "MAX_TOKENS" : "STOP";
            }

            candidate["index"] = 0;
            result["candidates"] = new JsonArray(candidate);
        }

        result["usageMetadata"] = usage;
        result["modelVersion"] = call.Model;
        result["responseId"] = responseId;
        return result;
    }

    private static string Frame(JsonObject json) => "data: " + json.ToJsonString() + Delimiter;
}
