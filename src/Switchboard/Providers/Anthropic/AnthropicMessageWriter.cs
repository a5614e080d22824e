using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Providers.Anthropic;

/// <summary>Writes top-level <c>system</c> and the alternating <c>messages</c> from the canonical messages. Pure.</summary>
internal static class AnthropicMessageWriter
{
    /// <summary>
    /// Writes system text (instructions first, then every system message) as <c>system</c>: a string, or text blocks when
    /// there are several. The other messages go in <c>messages</c> as blocks: assistant → <c>assistant</c>, everything else
    /// → <c>user</c>; tool calls always in an assistant turn and tool results in a user turn; consecutive same-role turns merged.
    /// </summary>
    public static void Write(Utf8JsonWriter w, IEnumerable<ChatMessage> messages, string? instructions)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        WriteSystem(w, list, instructions);

        string? openRole = null;
        w.WriteStartArray("messages");
        foreach (var message in list)
        {
            if (message.Role == ChatRole.System)
            {
                continue;
            }

            foreach (var content in message.Contents)
            {
                if (!IsWritten(content) || IsNestedMedia(message, content))
                {
                    continue;
                }

                var role = content switch
                {
                    FunctionResultContent => "user",
                    FunctionCallContent or TextReasoningContent => "assistant",
                    _ => message.Role == ChatRole.Assistant ? "assistant" : "user",
                };
                if (role != openRole)
                {
                    if (openRole is not null)
                    {
                        EndMessage(w);
                    }

                    w.WriteStartObject();
                    w.WriteString("role", role);
                    w.WriteStartArray("content");
                    openRole = role;
                }

                if (content is FunctionResultContent result)
                {
                    WriteToolResult(w, result, message.Contents);
                }
                else
                {
                    WriteBlock(w, content);
                }
            }
        }

        if (openRole is not null)
        {
            EndMessage(w);
        }

        w.WriteEndArray();
    }

    /// <summary>Writes any value as JSON (a <see cref="JsonElement"/> as it is, anything else through the AI JSON options).</summary>
    public static void WriteValue(Utf8JsonWriter w, object? value)
    {
        if (value is JsonElement element)
        {
            element.WriteTo(w);
            return;
        }

        JsonSerializer.Serialize(w, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value?.GetType() ?? typeof(object)));
    }

    private static void WriteSystem(Utf8JsonWriter w, IReadOnlyList<ChatMessage> messages, string? instructions)
    {
        // With cache marks (from an Anthropic client), system text stays in its blocks so each mark stays where it was.
        var blocks = messages.Where(m => m.Role == ChatRole.System).SelectMany(m => m.Contents).OfType<TextContent>().ToList();
        if (blocks.Any(b => CacheControlOf(b) is not null))
        {
            w.WriteStartArray("system");
            if (!string.IsNullOrEmpty(instructions))
            {
                WriteText(w, instructions);
            }

            foreach (var block in blocks.Where(b => b.Text.Length > 0))
            {
                WriteText(w, block.Text, block);
            }

            w.WriteEndArray();
            return;
        }

        var texts = new List<string>();
        if (!string.IsNullOrEmpty(instructions))
        {
            texts.Add(instructions);
        }

        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System && !string.IsNullOrEmpty(message.Text))
            {
                texts.Add(message.Text);
            }
        }

        if (texts.Count == 1)
        {
            w.WriteString("system", texts[0]);
        }
        else if (texts.Count > 1)
        {
            w.WriteStartArray("system");
            foreach (var text in texts)
            {
                WriteText(w, text);
            }

            w.WriteEndArray();
        }
    }

    // Anthropic rejects empty text blocks, and thinking it cannot verify (no signature); other content has no Anthropic form.
    private static bool IsWritten(AIContent content) => content switch
    {
        TextContent text => text.Text.Length > 0,
        TextReasoningContent reasoning => !string.IsNullOrEmpty(reasoning.ProtectedData),
        DataContent or UriContent or FunctionCallContent or FunctionResultContent => true,
        _ => false,
    };

    private static void WriteBlock(Utf8JsonWriter w, AIContent content)
    {
        switch (content)
        {
            case TextContent text:
                WriteText(w, text.Text, text);
                break;
            case TextReasoningContent reasoning when reasoning.Text.Length == 0:
                w.WriteStartObject();
                w.WriteString("type", "redacted_thinking");
                w.WriteString("data", reasoning.ProtectedData);
                w.WriteEndObject();
                break;
            case TextReasoningContent reasoning:
                w.WriteStartObject();
                w.WriteString("type", "thinking");
                w.WriteString("thinking", reasoning.Text);
                w.WriteString("signature", reasoning.ProtectedData);
                w.WriteEndObject();
                break;
            case DataContent data:
                w.WriteStartObject();
                w.WriteString("type", IsDocument(data.MediaType) ? "document" : "image");
                w.WriteStartObject("source");
                w.WriteString("type", "base64");
                w.WriteString("media_type", data.MediaType);
                w.WriteString("data", data.Base64Data.Span);
                w.WriteEndObject();
                WriteCacheControl(w, data);
                w.WriteEndObject();
                break;
            case UriContent uri:
                w.WriteStartObject();
                w.WriteString("type", IsDocument(uri.MediaType) ? "document" : "image");
                w.WriteStartObject("source");
                w.WriteString("type", "url");
                w.WriteString("url", uri.Uri.OriginalString);
                w.WriteEndObject();
                WriteCacheControl(w, uri);
                w.WriteEndObject();
                break;
            case FunctionCallContent call:
                w.WriteStartObject();
                w.WriteString("type", "tool_use");
                w.WriteString("id", call.CallId);
                w.WriteString("name", call.Name);
                w.WriteStartObject("input");
                foreach (var (key, value) in call.Arguments ?? new Dictionary<string, object?>())
                {
                    w.WritePropertyName(key);
                    WriteValue(w, value);
                }

                w.WriteEndObject();
                WriteCacheControl(w, call);
                w.WriteEndObject();
                break;
        }
    }

    // Media an edge took out of a tool result (PassThroughKeys.ToolResultCallId) goes back inside it.
    private static string? ToolResultCallIdOf(AIContent content) =>
        content is DataContent or UriContent
        && content.AdditionalProperties?.TryGetValue(Chat.PassThroughKeys.ToolResultCallId, out var id) == true ? id as string : null;

    private static bool IsNestedMedia(ChatMessage message, AIContent content) =>
        ToolResultCallIdOf(content) is { } id && message.Contents.Any(c => c is FunctionResultContent r && r.CallId == id);

    private static void WriteToolResult(Utf8JsonWriter w, FunctionResultContent result, IList<AIContent> siblings)
    {
        w.WriteStartObject();
        w.WriteString("type", "tool_result");
        w.WriteString("tool_use_id", result.CallId);
        var media = siblings.Where(c => ToolResultCallIdOf(c) == result.CallId).ToList();
        if (media.Count > 0)
        {
            w.WriteStartArray("content");
            if (ResultText(result) is { Length: > 0 } text)
            {
                WriteText(w, text);
            }

            foreach (var item in media)
            {
                WriteBlock(w, item);
            }

            w.WriteEndArray();
        }
        else if (ResultText(result) is { } text)
        {
            w.WriteString("content", text);
        }

        if (result.Exception is not null)
        {
            w.WriteBoolean("is_error", true);
        }

        WriteCacheControl(w, result);
        w.WriteEndObject();
    }

    // A string result goes as it is; anything else as its JSON text; a failed call without a result as the exception's message.
    private static string? ResultText(FunctionResultContent result) => result.Result switch
    {
        null => result.Exception?.Message,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
        JsonElement element => element.GetRawText(),
        var value => JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())),
    };

    private static bool IsDocument(string? mediaType) => string.Equals(mediaType, "application/pdf", StringComparison.OrdinalIgnoreCase);

    private static void WriteText(Utf8JsonWriter w, string text, AIContent? source = null)
    {
        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WriteString("text", text);
        if (source is not null)
        {
            WriteCacheControl(w, source);
        }

        w.WriteEndObject();
    }

    private static JsonElement? CacheControlOf(AIContent content) =>
        content.AdditionalProperties?.TryGetValue(Chat.PassThroughKeys.AnthropicCacheControl, out var mark) == true
        && mark is JsonElement { ValueKind: JsonValueKind.Object } element ? element : null;

    // An Anthropic client's cache_control mark, back on the block it was on (prompt caching is what makes agents affordable).
    private static void WriteCacheControl(Utf8JsonWriter w, AIContent content)
    {
        if (CacheControlOf(content) is { } mark)
        {
            w.WritePropertyName("cache_control");
            mark.WriteTo(w);
        }
    }

    private static void EndMessage(Utf8JsonWriter w)
    {
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
