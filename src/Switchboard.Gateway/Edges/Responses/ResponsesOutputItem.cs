using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Gateway.Edges.Responses;

/// <summary>
/// One item of a response's <c>output</c>: an assistant message, a <c>function_call</c> or a <c>custom_tool_call</c>, a
/// <c>reasoning</c> item with a summary (a translated provider's thinking), or an item an OpenAI upstream sent, written back as sent.
/// </summary>
internal sealed class ResponsesOutputItem
{
    public enum ItemKind { Message, FunctionCall, CustomToolCall, Reasoning, Native }

    private ResponsesOutputItem(ItemKind kind, string id)
    {
        Kind = kind;
        Id = id;
    }

    public ItemKind Kind { get; }

    public string Id { get; }

    /// <summary>A message's text so far, or a reasoning item's summary text.</summary>
    public StringBuilder Text { get; } = new();

    public string? CallId { get; private init; }

    /// <summary>The tool's name as the client declared it (not the flat name sent upstream).</summary>
    public string? Name { get; private init; }

    public string? Namespace { get; private init; }

    /// <summary>A function call's arguments as JSON text, or a custom tool call's raw input.</summary>
    public string Payload { get; private init; } = "";

    /// <summary>For <see cref="ItemKind.Native"/>: the item as the upstream sent it.</summary>
    public JsonElement Raw { get; private init; }

    /// <summary>For <see cref="ItemKind.Native"/>: the item's <c>type</c> (<c>reasoning</c>, <c>function_call</c>, <c>web_search_call</c>, …).</summary>
    public string? NativeType { get; private init; }

    public static ResponsesOutputItem Message(string id) => new(ItemKind.Message, id);

    /// <summary>A reasoning item for a provider's own reasoning text (summary only: nothing another provider could decrypt).</summary>
    public static ResponsesOutputItem Reasoning(string id) => new(ItemKind.Reasoning, id);

    /// <summary>The item an OpenAI upstream sent for this content, if it carries one (<see cref="PassThroughKeys.OpenAIResponsesItem"/>).</summary>
    public static ResponsesOutputItem? Native(AIContent content, string fallbackId)
    {
        if (content.AdditionalProperties?.TryGetValue(PassThroughKeys.OpenAIResponsesItem, out var value) != true
            || value is not JsonElement { ValueKind: JsonValueKind.Object } raw)
        {
            return null;
        }

        var id = raw.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString()! : fallbackId;
        var type = raw.TryGetProperty("type", out var typeValue) && typeValue.ValueKind == JsonValueKind.String ? typeValue.GetString() : null;
        var item = new ResponsesOutputItem(ItemKind.Native, id) { Raw = raw, NativeType = type };
        switch (content)
        {
            case TextReasoningContent reasoning:
                item.Text.Append(reasoning.Text);
                break;
            case FunctionCallContent call:
                return new ResponsesOutputItem(ItemKind.Native, id)
                {
                    Raw = raw, NativeType = type, CallId = call.CallId,
                    Name = raw.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : call.Name,
                    Payload = raw.TryGetProperty(type == "custom_tool_call" ? "input" : "arguments", out var payload)
                        && payload.ValueKind == JsonValueKind.String ? payload.GetString()! : "",
                };
        }

        return item;
    }

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
