using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.OpenAI;

/// <summary>Maps OpenAI <c>tools</c>, <c>tool_choice</c> and <c>response_format</c> to canonical options. Pure.</summary>
internal static class OpenAIEdgeToolMapper
{
    private static readonly EdgeScope Top = new(EdgeErrorStyle.OpenAI, null);

    private static readonly JsonElement EmptyParameters = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement;

    public static void AddTools(ChatOptions options, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        Top.Expect(value, "tools", EdgeJsonType.Array);
        var tools = options.Tools ??= [];
        var scope = Top.At("tools");
        var i = 0;
        foreach (var tool in value.EnumerateArray())
        {
            var toolScope = scope.At(i++);
            toolScope.Self(tool, EdgeJsonType.Object);
            var type = toolScope.RequiredString(tool, "type");
            if (type != "function")
            {
                throw toolScope.Invalid("type", $"unsupported tool type '{type}'. Only 'function' tools are supported by this gateway.");
            }

            var function = toolScope.Expect(toolScope.Require(tool, "function"), "function", EdgeJsonType.Object);
            var functionScope = toolScope.At("function");
            var name = functionScope.RequiredString(function, "name");
            var description = functionScope.String(function, "description");
            var parameters = functionScope.Object(function, "parameters")?.Clone() ?? EmptyParameters;
            if (functionScope.Boolean(function, "strict") == true)
            {
                (options.AdditionalProperties ??= [])[OpenAIEdgeRequestMapper.StrictKey] = true;
            }

            tools.Add(AIFunctionFactory.CreateDeclaration(name, description, parameters));
        }
    }

    public static ChatToolMode? ToToolMode(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return value.GetString() switch
                {
                    "auto" => ChatToolMode.Auto,
                    "none" => ChatToolMode.None,
                    "required" => ChatToolMode.RequireAny,
                    var other => throw Top.Invalid("tool_choice", $"value must be 'none', 'auto', 'required' or a named function, but got '{other}' instead."),
                };
            case JsonValueKind.Object:
                var scope = Top.At("tool_choice");
                var type = scope.RequiredString(value, "type");
                if (type != "function")
                {
                    throw scope.Invalid("type", $"unsupported tool_choice type '{type}'. Expected 'function'.");
                }

                var function = scope.Expect(scope.Require(value, "function"), "function", EdgeJsonType.Object);
                return ChatToolMode.RequireSpecific(scope.At("function").RequiredString(function, "name"));
            default:
                throw EdgeErrorStyle.OpenAI.WrongType("tool_choice", EdgeJsonType.String, value);
        }
    }

    public static ChatResponseFormat? ToResponseFormat(ChatOptions options, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        Top.Expect(value, "response_format", EdgeJsonType.Object);
        var scope = Top.At("response_format");
        var type = scope.RequiredString(value, "type");
        switch (type)
        {
            case "text":
                return ChatResponseFormat.Text;
            case "json_object":
                return ChatResponseFormat.Json;
            case "json_schema":
                var schemaScope = scope.At("json_schema");
                var jsonSchema = scope.Expect(scope.Require(value, "json_schema"), "json_schema", EdgeJsonType.Object);
                var name = schemaScope.RequiredString(jsonSchema, "name");
                var description = schemaScope.String(jsonSchema, "description");
                var schema = schemaScope.Object(jsonSchema, "schema")?.Clone() ?? EmptyParameters;
                if (schemaScope.Boolean(jsonSchema, "strict") == true)
                {
                    (options.AdditionalProperties ??= [])[OpenAIEdgeRequestMapper.StrictKey] = true;
                }

                return ChatResponseFormat.ForJsonSchema(schema, name, description);
            default:
                throw scope.Invalid("type", $"value must be 'text', 'json_object' or 'json_schema', but got '{type}' instead.");
        }
    }
}
