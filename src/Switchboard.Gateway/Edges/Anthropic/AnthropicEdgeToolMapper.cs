using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.Anthropic;

/// <summary>Maps Anthropic <c>tools</c> and <c>tool_choice</c> to canonical options. Pure.</summary>
internal static class AnthropicEdgeToolMapper
{
    private static readonly EdgeScope Top = new(EdgeErrorStyle.Anthropic, null);

    public static void AddTools(ChatOptions options, JsonElement tools)
    {
        var list = options.Tools ??= [];
        var scope = Top.At("tools");
        var i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var toolScope = scope.At(i++);
            toolScope.Self(tool, EdgeJsonType.Object);
            if (toolScope.String(tool, "type") is { } type && type != "custom")
            {
                // A server tool (web_search_20250305, code_execution_...) or an Anthropic-defined client tool: it has no canonical
                // form; the tools as sent reach an Anthropic upstream, and other providers go without it.
                _ = toolScope.RequiredString(tool, "name");
                continue;
            }

            var name = toolScope.RequiredString(tool, "name");
            var description = toolScope.String(tool, "description");
            var schema = toolScope.Expect(toolScope.Require(tool, "input_schema"), "input_schema", EdgeJsonType.Object);
            list.Add(AIFunctionFactory.CreateDeclaration(name, description, schema.Clone()));
        }
    }

    public static void ApplyToolChoice(ChatOptions options, JsonElement choice)
    {
        var scope = Top.At("tool_choice");
        var type = scope.RequiredString(choice, "type");
        options.ToolMode = type switch
        {
            "auto" => ChatToolMode.Auto,
            "any" => ChatToolMode.RequireAny,
            "none" => ChatToolMode.None,
            "tool" => ChatToolMode.RequireSpecific(scope.RequiredString(choice, "name")),
            _ => throw scope.Invalid("type", $"Input tag '{type}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'"),
        };

        if (scope.Boolean(choice, "disable_parallel_tool_use") == true)
        {
            options.AllowMultipleToolCalls = false;
        }
    }
}
