using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Guardrails;

/// <summary>One piece of text in a request: message and content index, the text, and whether it is a tool result.</summary>
internal readonly record struct TextSlot(int Message, int Content, string Text, bool FromTool, ChatRole Role);

/// <summary>Reads the texts of a request and replaces them copy-on-write, never changing the caller's messages.</summary>
internal static class MessageTexts
{
    /// <summary>Text contents of messages in <paramref name="roles"/>, and every tool result (as text).</summary>
    public static List<TextSlot> Slots(IReadOnlyList<ChatMessage> messages, params ChatRole[] roles)
    {
        var slots = new List<TextSlot>();
        for (var m = 0; m < messages.Count; m++)
        {
            var message = messages[m];
            for (var c = 0; c < message.Contents.Count; c++)
            {
                switch (message.Contents[c])
                {
                    case TextContent t when roles.Contains(message.Role) && !string.IsNullOrEmpty(t.Text):
                        slots.Add(new TextSlot(m, c, t.Text, FromTool: message.Role == ChatRole.Tool, message.Role));
                        break;
                    case FunctionResultContent r when ResultText(r) is { Length: > 0 } text:
                        slots.Add(new TextSlot(m, c, text, FromTool: true, message.Role));
                        break;
                }
            }
        }

        return slots;
    }

    /// <summary>Replaces the text of one slot in <paramref name="messages"/> (the message is cloned first).</summary>
    public static void Replace(List<ChatMessage> messages, TextSlot slot, string text)
    {
        var original = messages[slot.Message];
        var clone = original.Clone();
        clone.Contents = [.. original.Contents];
        clone.Contents[slot.Content] = original.Contents[slot.Content] switch
        {
            FunctionResultContent r => new FunctionResultContent(r.CallId, r.Result is JsonElement ? AsJson(text) : text),
            _ => new TextContent(text),
        };
        messages[slot.Message] = clone;
    }

    private static string? ResultText(FunctionResultContent result) => result.Result switch
    {
        null => null,
        string s => s,
        JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText(),
        var other => other.ToString(),
    };

    private static object AsJson(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return text;
        }
    }
}
