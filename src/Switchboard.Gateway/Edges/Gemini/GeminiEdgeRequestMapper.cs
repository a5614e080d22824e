using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Gateway.Edges.Gemini;

/// <summary>
/// Maps a Gemini <c>generateContent</c> body (the model is in the URL) to the canonical model, validating the whole body.
/// Pure. Gemini-only fields (<c>safetySettings</c>, <c>cachedContent</c>, server tools, ...) are accepted and not carried:
/// other providers have no use for them.
/// </summary>
internal static class GeminiEdgeRequestMapper
{
    private static readonly EdgeScope Top = new(EdgeErrorStyle.OpenAI, null);

    public static EdgeRequest Parse(ReadOnlyMemory<byte> body, string model, bool stream, out bool includeThoughts)
    {
        using var document = EdgeJson.ParseObject(body, "Invalid JSON payload received.", "The request body must be a JSON object.");
        return Parse(document.RootElement, Top, model, stream, out includeThoughts);
    }

    /// <summary>A <c>countTokens</c> body: <c>{contents}</c> or <c>{generateContentRequest: {...}}</c>.</summary>
    public static EdgeRequest ParseCount(ReadOnlyMemory<byte> body, string model)
    {
        using var document = EdgeJson.ParseObject(body, "Invalid JSON payload received.", "The request body must be a JSON object.");
        var root = document.RootElement;
        if (Top.Object(root, "generateContentRequest") is { } inner)
        {
            return Parse(inner, Top.At("generateContentRequest"), model, stream: false, out _);
        }

        return Parse(root, Top, model, stream: false, out _);
    }

    private static EdgeRequest Parse(JsonElement root, EdgeScope top, string model, bool stream, out bool includeThoughts)
    {
        var contents = top.Expect(top.Require(root, "contents"), "contents", EdgeJsonType.Array);
        if (contents.GetArrayLength() == 0)
        {
            throw top.Invalid("contents", "must not be empty.");
        }

        var mapper = new GeminiEdgeContentMapper();
        var messages = new List<ChatMessage>(contents.GetArrayLength() + 1);
        if (EdgeScope.TryGet(root, "systemInstruction", out var system))
        {
            messages.Add(mapper.ToSystemMessage(system, top, "systemInstruction"));
        }

        mapper.AddContents(messages, contents, top);
        var options = new ChatOptions { ModelId = model };
        if (top.Array(root, "tools") is { } tools)
        {
            AddTools(options, tools, top.At("tools"));
        }

        if (top.Object(root, "toolConfig") is { } toolConfig)
        {
            ApplyToolConfig(options, toolConfig, top.At("toolConfig"));
        }

        includeThoughts = false;
        if (top.Object(root, "generationConfig") is { } config)
        {
            includeThoughts = ApplyGenerationConfig(options, config, top.At("generationConfig"));
        }

        _ = top.Array(root, "safetySettings");
        _ = top.String(root, "cachedContent");
        return new EdgeRequest(model, messages, options, stream, IncludeUsage: true);
    }

    private static void AddTools(ChatOptions options, JsonElement tools, EdgeScope scope)
    {
        var i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var toolScope = scope.At(i++);
            toolScope.Self(tool, EdgeJsonType.Object);
            if (toolScope.Array(tool, "functionDeclarations") is not { } declarations)
            {
                continue; // googleSearch, codeExecution, urlContext...: Gemini's own server tools, not carried to other providers
            }

            var d = 0;
            foreach (var declaration in declarations.EnumerateArray())
            {
                var declScope = toolScope.At("functionDeclarations").At(d++);
                declScope.Self(declaration, EdgeJsonType.Object);
                var name = declScope.RequiredString(declaration, "name");
                var description = declScope.String(declaration, "description");
                var schema = declScope.Object(declaration, "parametersJsonSchema")?.Clone()
                    ?? (declScope.Object(declaration, "parameters") is { } openApi ? ToJsonSchema(openApi) : EmptySchema());
                (options.Tools ??= []).Add(AIFunctionFactory.CreateDeclaration(name, description, schema));
            }
        }
    }

    private static void ApplyToolConfig(ChatOptions options, JsonElement toolConfig, EdgeScope scope)
    {
        if (scope.Object(toolConfig, "functionCallingConfig") is not { } config)
        {
            return;
        }

        var configScope = scope.At("functionCallingConfig");
        var allowed = configScope.Array(config, "allowedFunctionNames") is { } names ? configScope.Strings(names, "allowedFunctionNames") : [];
        options.ToolMode = configScope.String(config, "mode") switch
        {
            null or "MODE_UNSPECIFIED" or "AUTO" or "VALIDATED" => ChatToolMode.Auto,
            "NONE" => ChatToolMode.None,
            "ANY" => allowed.Count == 1 ? ChatToolMode.RequireSpecific(allowed[0]) : ChatToolMode.RequireAny,
            var other => throw configScope.Invalid("mode", $"must be AUTO, ANY, NONE or VALIDATED, but got '{other}' instead."),
        };
    }

    /// <summary>Returns whether the client asked to see thoughts (<c>thinkingConfig.includeThoughts</c>).</summary>
    private static bool ApplyGenerationConfig(ChatOptions options, JsonElement config, EdgeScope scope)
    {
        options.Temperature = (float?)scope.Number(config, "temperature", 0, 2);
        options.TopP = (float?)scope.Number(config, "topP", 0, 1);
        options.TopK = (int?)scope.Integer(config, "topK", 1, int.MaxValue);
        options.MaxOutputTokens = (int?)scope.Integer(config, "maxOutputTokens", 1, int.MaxValue);
        options.Seed = scope.Integer(config, "seed");
        options.PresencePenalty = (float?)scope.Number(config, "presencePenalty", -2, 2);
        options.FrequencyPenalty = (float?)scope.Number(config, "frequencyPenalty", -2, 2);
        if (scope.Array(config, "stopSequences") is { } stops)
        {
            options.StopSequences = scope.Strings(stops, "stopSequences");
        }

        if (scope.Integer(config, "candidateCount", 1, int.MaxValue) is > 1)
        {
            throw scope.Invalid("candidateCount", "only 1 candidate is supported by this gateway.");
        }

        var mimeType = scope.String(config, "responseMimeType");
        var schema = scope.Object(config, "responseJsonSchema")?.Clone()
            ?? (scope.Object(config, "responseSchema") is { } openApi ? ToJsonSchema(openApi) : (JsonElement?)null);
        options.ResponseFormat = mimeType switch
        {
            "application/json" => schema is { } s ? ChatResponseFormat.ForJsonSchema(s, "response") : ChatResponseFormat.Json,
            null or "text/plain" => null,
            "text/x.enum" => null,
            var other => throw scope.Invalid("responseMimeType", $"must be text/plain or application/json, but got '{other}' instead."),
        };

        if (scope.Object(config, "thinkingConfig") is not { } thinking)
        {
            return false;
        }

        // As sent for a Gemini upstream; the canonical effort (level, else budget) carries it to the others.
        var thinkingScope = scope.At("thinkingConfig");
        var budget = thinkingScope.Integer(thinking, "thinkingBudget", -1, int.MaxValue);
        var level = thinkingScope.String(thinking, "thinkingLevel");
        (options.AdditionalProperties ??= [])[PassThroughKeys.GeminiThinkingConfig] = thinking.Clone();
        if ((ReasoningEfforts.FromName(level) ?? (budget is { } b ? ReasoningEfforts.FromBudget(b) : null)) is { } effort)
        {
            options.Reasoning = new ReasoningOptions { Effort = effort };
        }

        return thinkingScope.Boolean(thinking, "includeThoughts") == true;
    }

    /// <summary>Gemini's OpenAPI-subset schema (<c>parameters</c>, <c>responseSchema</c>) as JSON Schema: type names in lower case.</summary>
    internal static JsonElement ToJsonSchema(JsonElement openApi)
    {
        var node = JsonNode.Parse(openApi.GetRawText())!;
        LowerTypes(node);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static void LowerTypes(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"] is JsonValue type && type.TryGetValue<string>(out var name))
                {
                    obj["type"] = name.ToLowerInvariant();
                }

                foreach (var (_, child) in obj.ToList())
                {
                    LowerTypes(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    LowerTypes(child);
                }

                break;
        }
    }

    private static JsonElement EmptySchema() => JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();
}
