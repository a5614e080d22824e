using System.Text;
using System.Text.Json.Nodes;

namespace Switchboard.Emulator;

/// <summary>Reads an OpenAI Responses request (<c>POST /v1/responses</c>) into a <see cref="ChatCall"/>, refusing what OpenAI refuses.</summary>
internal static class ResponsesRequestReader
{
    public static ChatCall Read(JsonObject body, string protocol)
    {
        var model = JsonText.Str(body["model"]) ?? throw new InvalidRequestException("Missing required parameter: 'model'.");
        var input = body["input"] ?? throw new InvalidRequestException("Missing required parameter: 'input'.");
        var prompt = new StringBuilder();
        var state = new InputState();
        if (JsonText.Str(body["instructions"]) is { Length: > 0 } instructions)
        {
            JsonText.Append(prompt, instructions);
            state.HasSystem = true;
            state.Messages++;
        }

        if (JsonText.Str(input) is { } text)
        {
            JsonText.Append(prompt, text);
            state.LastUser = text;
            state.Messages++;
        }
        else if (input is JsonArray items)
        {
            foreach (var item in items)
            {
                ReadItem(item as JsonObject ?? throw new InvalidRequestException("Invalid type for 'input[]': expected an object."), prompt, state);
            }
        }
        else
        {
            throw new InvalidRequestException("Invalid type for 'input': expected a string or an array of input items.");
        }

        var tools = new List<ToolDefinition>();
        var custom = new HashSet<string>(StringComparer.Ordinal);
        var namespaces = new Dictionary<string, string>(StringComparer.Ordinal);
        var webSearch = false;
        foreach (var tool in (body["tools"] as JsonArray ?? []).OfType<JsonObject>())
        {
            webSearch |= ReadTool(tool, null, tools, custom, namespaces, prompt);
        }

        var choice = body["tool_choice"];
        var forcedName = JsonText.Str((choice as JsonObject)?["name"]);
        var forceAny = JsonText.Str(choice) == "required" || JsonText.Str((choice as JsonObject)?["mode"]) == "required";
        var format = (body["text"] as JsonObject)?["format"] as JsonObject;
        var formatType = JsonText.Str(format?["type"]);
        var reasoning = body["reasoning"] as JsonObject;
        var effort = JsonText.Str(reasoning?["effort"]);
        var include = JsonText.Strings(body["include"]);
        return new ChatCall
        {
            Protocol = protocol,
            Model = model,
            Stream = JsonText.Bool(body["stream"]),
            IncludeUsage = true,
            MessageCount = state.Messages,
            HasSystem = state.HasSystem,
            ImageCount = state.Images,
            LastUserText = state.LastUser,
            LastToolResult = state.ToolResult,
            PromptText = prompt.ToString(),
            MaxTokens = JsonText.Int(body["max_output_tokens"]),
            JsonMode = formatType is "json_object" or "json_schema",
            JsonSchema = formatType == "json_schema" ? format?["schema"] : null,
            Tools = tools,
            ForceTool = tools.Count > 0 && (forceAny || forcedName is not null),
            AllowedTools = forcedName is null ? [] : [forcedName],
            Responses = new ResponsesCallInfo
            {
                ReasoningEffort = effort is null or "none" ? null : effort,
                ReasoningSummary = JsonText.Str(reasoning?["summary"]),
                IncludeEncryptedReasoning = include.Contains("reasoning.encrypted_content"),
                WebSearch = webSearch,
                CustomTools = custom,
                Namespaces = namespaces,
                PromptCacheKey = JsonText.Str(body["prompt_cache_key"]),
                Store = body["store"] is not JsonValue store || JsonText.Bool(store),
                Echo = Echo(body),
            },
        };
    }

    private sealed class InputState
    {
        public int Messages;
        public bool HasSystem;
        public int Images;
        public string LastUser = "";
        public string? ToolResult;
    }

    private static void ReadItem(JsonObject item, StringBuilder prompt, InputState state)
    {
        var type = JsonText.Str(item["type"]) ?? "message";
        switch (type)
        {
            case "message":
            {
                var role = JsonText.Str(item["role"]) ?? throw new InvalidRequestException("Missing required parameter: 'input[].role'.");
                var text = ContentText(item["content"], state);
                JsonText.Append(prompt, text);
                state.HasSystem |= role is "system" or "developer";
                state.LastUser = role == "user" ? text : state.LastUser;
                state.ToolResult = null;
                state.Messages++;
                break;
            }

            case "function_call" or "custom_tool_call":
                JsonText.Append(prompt, item.ToJsonString());
                state.ToolResult = null;
                state.Messages++;
                break;
            case "function_call_output" or "custom_tool_call_output":
            {
                var output = item["output"] is JsonArray parts ? ContentText(parts, state) : JsonText.Str(item["output"]) ?? "";
                JsonText.Append(prompt, output);
                state.ToolResult = $"{JsonText.Str(item["call_id"])}: {output}";
                state.Messages++;
                break;
            }

            case "reasoning":
                CheckReasoning(item);
                break;
            case "item_reference":
                throw new InvalidRequestException($"Item with id '{JsonText.Str(item["id"])}' not found. Items are not persisted by the emulator.");
            default:
                // Hosted-tool calls (web_search_call, ...) and newer item types: context only.
                JsonText.Append(prompt, item.ToJsonString());
                break;
        }
    }

    // OpenAI answers 400 for reasoning it cannot use: a blob it did not mint, or (without storage) an item without one.
    private static void CheckReasoning(JsonObject item)
    {
        var id = JsonText.Str(item["id"]);
        if (JsonText.Str(item["encrypted_content"]) is { } blob)
        {
            if (!ReasoningSeal.Verify(blob, id))
            {
                throw new InvalidRequestException($"The encrypted content for item {id ?? "(no id)"} could not be verified.");
            }

            return;
        }

        if (id is not null)
        {
            throw new InvalidRequestException($"Item with id '{id}' not found. Items are not persisted when `store` is set to false. " +
                "Try again with `store` set to true, or remove this item from your input.");
        }
    }

    /// <summary>Reads one tool; true for a hosted web search tool.</summary>
    private static bool ReadTool(JsonObject tool, string? ns, List<ToolDefinition> tools, HashSet<string> custom,
        Dictionary<string, string> namespaces, StringBuilder prompt)
    {
        var type = JsonText.Str(tool["type"]) ?? throw new InvalidRequestException("Missing required parameter: 'tools[].type'.");
        switch (type)
        {
            case "function":
            {
                var name = JsonText.Str(tool["name"]) ?? throw new InvalidRequestException("Missing required parameter: 'tools[].name'.");
                tools.Add(new ToolDefinition(name, tool["parameters"]));
                if (ns is not null)
                {
                    namespaces[name] = ns;
                }

                JsonText.Append(prompt, tool.ToJsonString());
                return false;
            }

            case "custom":
            {
                var name = JsonText.Str(tool["name"]) ?? throw new InvalidRequestException("Missing required parameter: 'tools[].name'.");
                custom.Add(name);
                tools.Add(new ToolDefinition(name, new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject { ["input"] = new JsonObject { ["type"] = "string" } },
                    ["required"] = new JsonArray("input"),
                }));
                JsonText.Append(prompt, tool.ToJsonString());
                return false;
            }

            case "namespace":
            {
                var name = JsonText.Str(tool["name"]) ?? throw new InvalidRequestException("Missing required parameter: 'tools[].name'.");
                var any = false;
                foreach (var inner in (tool["tools"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    any |= ReadTool(inner, name, tools, custom, namespaces, prompt);
                }

                return any;
            }

            default:
                return type is "web_search" or "web_search_preview" or "web_search_2025_08_26";
        }
    }

    private static string ContentText(JsonNode? content, InputState state)
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
                case "input_text" or "output_text": sb.Append(JsonText.Str(part["text"])); break;
                case "refusal": sb.Append(JsonText.Str(part["refusal"])); break;
                case "input_image": state.Images++; break;
            }
        }

        return sb.ToString();
    }

    private static JsonObject Echo(JsonObject body)
    {
        var echo = new JsonObject();
        foreach (var name in (string[])["instructions", "max_output_tokens", "parallel_tool_calls", "reasoning", "text", "tool_choice", "tools",
            "temperature", "top_p", "truncation", "user", "metadata", "prompt_cache_key", "service_tier", "store", "safety_identifier"])
        {
            if (body[name] is { } value)
            {
                echo[name] = value.DeepClone();
            }
        }

        return echo;
    }
}
