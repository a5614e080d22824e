using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Gateway.Edges.OpenAI;

namespace Switchboard.Gateway.Edges.Responses;

/// <summary>Maps Responses <c>tools</c>, <c>tool_choice</c> and <c>text.format</c> to canonical options. Pure.</summary>
/// <remarks><c>function</c> tools map as such; <c>custom</c> tools become a function with one string parameter <c>input</c>;
/// a <c>namespace</c>'s tools are flattened to <c>namespace__name</c>. Hosted tools (<c>web_search</c>, …) have no canonical form: their
/// types are listed under <see cref="PassThroughKeys.OpenAIHostedTools"/>, so only an OpenAI upstream (which receives the client's
/// <c>tools</c> as sent) is planned, and any other route answers a 400 naming the tool.</remarks>
internal static class ResponsesEdgeToolMapper
{
    private static readonly EdgeScope Top = new(EdgeErrorStyle.OpenAI, null);

    private static readonly JsonElement EmptyParameters = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement;

    public static void AddTools(ChatOptions options, JsonElement value, ResponsesToolMap map)
    {
        var tools = options.Tools ??= [];
        var scope = Top.At("tools");
        var i = 0;
        foreach (var tool in value.EnumerateArray())
        {
            var toolScope = scope.At(i++);
            toolScope.Self(tool, EdgeJsonType.Object);
            AddTool(options, tools, tool, toolScope, map, ns: null);
        }
    }

    private static void AddTool(ChatOptions options, IList<AITool> tools, JsonElement tool, EdgeScope scope, ResponsesToolMap map, string? ns)
    {
        var type = scope.RequiredString(tool, "type");
        switch (type)
        {
            case "function":
            {
                var name = scope.RequiredString(tool, "name");
                var parameters = scope.Object(tool, "parameters")?.Clone() ?? EmptyParameters;
                if (scope.Boolean(tool, "strict") == true)
                {
                    (options.AdditionalProperties ??= [])[OpenAIEdgeRequestMapper.StrictKey] = true;
                }

                tools.Add(AIFunctionFactory.CreateDeclaration(map.Add(ResponsesToolKind.Function, name, ns), scope.String(tool, "description"), parameters));
                break;
            }

            case "custom":
            {
                var name = scope.RequiredString(tool, "name");
                tools.Add(AIFunctionFactory.CreateDeclaration(map.Add(ResponsesToolKind.Custom, name, ns), scope.String(tool, "description"),
                    CustomParameters(tool, scope)));
                break;
            }

            case "namespace" when ns is null:
            {
                var name = scope.RequiredString(tool, "name");
                var inner = scope.Expect(scope.Require(tool, "tools"), "tools", EdgeJsonType.Array);
                var innerScope = scope.At("tools");
                var i = 0;
                foreach (var child in inner.EnumerateArray())
                {
                    var childScope = innerScope.At(i++);
                    childScope.Self(child, EdgeJsonType.Object);
                    AddTool(options, tools, child, childScope, map, name);
                }

                break;
            }

            case "namespace":
                throw scope.Invalid("type", "a 'namespace' tool cannot hold another namespace.");
            default:
                var extra = options.AdditionalProperties ??= [];
                if (extra.TryGetValue(PassThroughKeys.OpenAIHostedTools, out var listed) && listed is List<string> hosted)
                {
                    hosted.Add(type);
                }
                else
                {
                    extra[PassThroughKeys.OpenAIHostedTools] = new List<string> { type };
                }

                break;
        }
    }

    /// <summary>The one-string-parameter schema a custom tool is bridged with; its grammar, if any, goes in the parameter's description.</summary>
    private static JsonElement CustomParameters(JsonElement tool, EdgeScope scope)
    {
        var description = "The raw input for the tool (free-form text, not JSON).";
        if (scope.Object(tool, "format") is { } format)
        {
            var formatScope = scope.At("format");
            if (formatScope.String(format, "type") == "grammar")
            {
                var syntax = formatScope.String(format, "syntax") ?? "lark";
                var definition = formatScope.String(format, "definition") ?? "";
                description = $"The raw input for the tool (free-form text, not JSON). It must match this {syntax} grammar:\n{definition}";
            }
        }

        var bytes = EdgeJsonWriter.Build(description, static (w, d) =>
        {
            w.WriteStartObject();
            w.WriteString("type", "object");
            w.WriteStartObject("properties");
            w.WriteStartObject("input");
            w.WriteString("type", "string");
            w.WriteString("description", d);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("required");
            w.WriteStringValue("input");
            w.WriteEndArray();
            w.WriteEndObject();
        });
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    public static ChatToolMode? ToToolMode(ChatOptions options, JsonElement value, ResponsesToolMap map)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString() switch
                {
                    "auto" => ChatToolMode.Auto,
                    "none" => ChatToolMode.None,
                    "required" => ChatToolMode.RequireAny,
                    var other => throw Top.Invalid("tool_choice", $"value must be 'none', 'auto', 'required' or an object, but got '{other}' instead."),
                };
            case JsonValueKind.Object:
                var scope = Top.At("tool_choice");
                var type = scope.RequiredString(value, "type");
                switch (type)
                {
                    case "function" or "custom":
                        return ChatToolMode.RequireSpecific(map.FlatName(scope.RequiredString(value, "name"), scope.String(value, "namespace")));
                    case "allowed_tools":
                        return AllowedTools(options, value, scope, map);
                    default:
                        // A hosted tool the request offers: OpenAI, the only upstream it can go to, receives tool_choice as sent.
                        if (options.AdditionalProperties?.TryGetValue(PassThroughKeys.OpenAIHostedTools, out var listed) == true
                            && listed is List<string> hosted && hosted.Contains(type))
                        {
                            return ChatToolMode.Auto;
                        }

                        throw scope.Invalid("type", $"the tool_choice type '{type}' names a tool the request does not offer. " +
                            "Expected 'function', 'custom', 'allowed_tools' or the type of an offered hosted tool.");
                }

            default:
                throw EdgeErrorStyle.OpenAI.WrongType("tool_choice", EdgeJsonType.String, value);
        }
    }

    /// <summary><c>{type: allowed_tools, mode: auto|required, tools: [{type, name}]}</c>: only those tools are offered.</summary>
    private static ChatToolMode AllowedTools(ChatOptions options, JsonElement value, EdgeScope scope, ResponsesToolMap map)
    {
        var mode = scope.String(value, "mode") ?? "auto";
        var list = scope.Expect(scope.Require(value, "tools"), "tools", EdgeJsonType.Array);
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        var listScope = scope.At("tools");
        var i = 0;
        foreach (var tool in list.EnumerateArray())
        {
            var toolScope = listScope.At(i++);
            toolScope.Self(tool, EdgeJsonType.Object);
            if (toolScope.String(tool, "name") is { } name)
            {
                allowed.Add(map.FlatName(name, toolScope.String(tool, "namespace")));
            }
        }

        if (options.Tools is { } tools)
        {
            for (var t = tools.Count - 1; t >= 0; t--)
            {
                if (!allowed.Contains(tools[t].Name))
                {
                    tools.RemoveAt(t);
                }
            }
        }

        return mode switch
        {
            "auto" => ChatToolMode.Auto,
            "required" => ChatToolMode.RequireAny,
            _ => throw scope.Invalid("mode", $"value must be 'auto' or 'required', but got '{mode}' instead."),
        };
    }

    /// <summary><c>text.format</c>: <c>text</c>, <c>json_object</c> or <c>json_schema</c> (<c>{name, schema, description, strict}</c>, not nested).</summary>
    public static ChatResponseFormat? ToResponseFormat(ChatOptions options, JsonElement text)
    {
        var textScope = Top.At("text");
        if (textScope.Object(text, "format") is not { } format)
        {
            return null;
        }

        var scope = textScope.At("format");
        var type = scope.RequiredString(format, "type");
        switch (type)
        {
            case "text":
                return ChatResponseFormat.Text;
            case "json_object":
                return ChatResponseFormat.Json;
            case "json_schema":
                var schema = scope.Object(format, "schema")?.Clone() ?? EmptyParameters;
                if (scope.Boolean(format, "strict") == true)
                {
                    (options.AdditionalProperties ??= [])[OpenAIEdgeRequestMapper.StrictKey] = true;
                }

                return ChatResponseFormat.ForJsonSchema(schema, scope.String(format, "name") ?? "response", scope.String(format, "description"));
            default:
                throw scope.Invalid("type", $"value must be 'text', 'json_object' or 'json_schema', but got '{type}' instead.");
        }
    }
}
