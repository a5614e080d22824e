using System.Text;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.Responses;

/// <summary>One item of a response's <c>output</c>: an assistant message, a <c>function_call</c> or a <c>custom_tool_call</c>.</summary>
internal sealed class ResponsesOutputItem
{
    public enum ItemKind { Message, FunctionCall, CustomToolCall }

    private ResponsesOutputItem(ItemKind kind, string id)
    {
        Kind = kind;
        Id = id;
    }

    public ItemKind Kind { get; }

    public string Id { get; }

    /// <summary>A message's text so far.</summary>
    public StringBuilder Text { get; } = new();

    public string? CallId { get; private init; }

    /// <summary>The tool's name as the client declared it (not the flat name sent upstream).</summary>
    public string? Name { get; private init; }

    public string? Namespace { get; private init; }

    /// <summary>A function call's arguments as JSON text, or a custom tool call's raw input.</summary>
    public string Payload { get; private init; } = "";

    public static ResponsesOutputItem Message(string id) => new(ItemKind.Message, id);

    /// <summary>The item for a canonical call, mapped back through the tool table (custom tools get their <c>input</c> back as raw text).</summary>
    public static ResponsesOutputItem Call(FunctionCallContent call, ResponsesToolMap tools, string responseId, int index)
    {
        var tool = tools.Resolve(call.Name);
        if (tool.Kind == ResponsesToolKind.Custom)
        {
            return new ResponsesOutputItem(ItemKind.CustomToolCall, $"ctc_{responseId}_{index}")
            {
                CallId = call.CallId, Name = tool.Name, Namespace = tool.Namespace, Payload = CustomInput(call.Arguments),
            };
        }

        return new ResponsesOutputItem(ItemKind.FunctionCall, $"fc_{responseId}_{index}")
        {
            CallId = call.CallId, Name = tool.Name, Namespace = tool.Namespace,
            Payload = Encoding.UTF8.GetString(EdgeJsonWriter.Build(call.Arguments, static (w, a) => EdgeJsonWriter.WriteArguments(w, a))),
        };
    }

    private static string CustomInput(IDictionary<string, object?>? arguments)
    {
        if (arguments is null || !arguments.TryGetValue("input", out var input))
        {
            // A model that ignored the one-parameter schema: hand the client whatever it sent, as JSON text.
            return arguments is { Count: > 0 }
                ? Encoding.UTF8.GetString(EdgeJsonWriter.Build(arguments, static (w, a) => EdgeJsonWriter.WriteArguments(w, a)))
                : "";
        }

        return input switch
        {
            string s => s,
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.String } e => e.GetString()!,
            System.Text.Json.JsonElement e => e.GetRawText(),
            null => "",
            var other => other.ToString() ?? "",
        };
    }
}
