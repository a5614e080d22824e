using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers.OpenAI;

/// <summary>Writes the <c>messages</c> array of a Chat Completions request. Pure.</summary>
internal static class OpenAIMessageWriter
{
    public static void WriteMessages(Utf8JsonWriter w, IEnumerable<ChatMessage> messages, string? instructions, string provider)
    {
        w.WriteStartArray();
        if (!string.IsNullOrEmpty(instructions))
        {
            w.WriteStartObject();
            w.WriteString("role", "system");
            w.WriteString("content", instructions);
            w.WriteEndObject();
        }

        foreach (var message in messages)
        {
            // Results go out as one "tool" message each, whatever role carried them, right after the assistant's calls:
            // a user message carrying results and more (text, images a tool returned) is written after its results.
            if (message.Role == ChatRole.Assistant)
            {
                WriteAssistant(w, message);
                WriteResults(w, message);
            }
            else
            {
                WriteResults(w, message);
                if (message.Role != ChatRole.Tool && HasOwnContent(message))
                {
                    WriteUserOrSystem(w, message, provider);
                }
            }
        }

        w.WriteEndArray();
    }

    private static void WriteResults(Utf8JsonWriter w, ChatMessage message)
    {
        foreach (var content in message.Contents)
        {
            if (content is FunctionResultContent result)
            {
                w.WriteStartObject();
                w.WriteString("role", "tool");
                w.WriteString("tool_call_id", result.CallId);
                w.WritePropertyName("content");
                WriteResultText(w, result.Result);
                w.WriteEndObject();
            }
        }
    }

    private static bool HasOwnContent(ChatMessage message)
    {
        foreach (var content in message.Contents)
        {
            if (content is TextContent or DataContent or UriContent)
            {
                return true;
            }
        }

        return false;
    }

    private static void WriteUserOrSystem(Utf8JsonWriter w, ChatMessage message, string provider)
    {
        w.WriteStartObject();
        w.WriteString("role", message.Role.Value);
        var multimodal = message.Role == ChatRole.User && message.Contents.Any(c => c is DataContent or UriContent);
        if (!multimodal)
        {
            w.WriteString("content", message.Text);
            w.WriteEndObject();
            return;
        }

        w.WriteStartArray("content");
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent text:
                    w.WriteStartObject();
                    w.WriteString("type", "text");
                    w.WriteString("text", text.Text);
                    w.WriteEndObject();
                    break;
                case DataContent data when data.HasTopLevelMediaType("image"):
                    WriteImage(w, data.Uri);
                    break;
                case DataContent data when data.MediaType is "audio/wav" or "audio/mpeg" or "audio/mp3":
                    w.WriteStartObject();
                    w.WriteString("type", "input_audio");
                    w.WriteStartObject("input_audio");
                    w.WriteString("data", data.Base64Data.Span);
                    w.WriteString("format", data.MediaType == "audio/wav" ? "wav" : "mp3");
                    w.WriteEndObject();
                    w.WriteEndObject();
                    break;
                case DataContent data:
                    w.WriteStartObject();
                    w.WriteString("type", "file");
                    w.WriteStartObject("file");
                    w.WriteString("file_data", data.Uri);
                    w.WriteString("filename", data.Name ?? "file");
                    w.WriteEndObject();
                    w.WriteEndObject();
                    break;
                case UriContent uri when uri.HasTopLevelMediaType("image"):
                    WriteImage(w, uri.Uri.AbsoluteUri);
                    break;
                case UriContent uri:
                    throw new ProviderException(ProviderErrorKind.InvalidRequest,
                        $"Chat Completions takes only images by URL, not '{uri.MediaType}'.", provider);
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteImage(Utf8JsonWriter w, string url)
    {
        w.WriteStartObject();
        w.WriteString("type", "image_url");
        w.WriteStartObject("image_url");
        w.WriteString("url", url);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteAssistant(Utf8JsonWriter w, ChatMessage message)
    {
        var hasCalls = message.Contents.Any(c => c is FunctionCallContent);
        var text = message.Text;
        if (!hasCalls && text.Length == 0 && !message.Contents.Any(c => c is TextContent) && message.Contents.Count > 0)
        {
            return; // only results (written as tool messages by the caller), or only reasoning Chat Completions cannot take back
        }

        w.WriteStartObject();
        w.WriteString("role", "assistant");
        if (text.Length == 0 && hasCalls)
        {
            w.WriteNull("content");
        }
        else
        {
            w.WriteString("content", text);
        }

        if (hasCalls)
        {
            w.WriteStartArray("tool_calls");
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent call)
                {
                    w.WriteStartObject();
                    w.WriteString("id", call.CallId);
                    w.WriteString("type", "function");
                    w.WriteStartObject("function");
                    w.WriteString("name", call.Name);
                    w.WriteString("arguments", ArgumentsJson(call.Arguments));
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static readonly Dictionary<string, object?> EmptyArguments = [];

    // The AI defaults indent; argument and result text goes on the wire compact.
    private static readonly JsonSerializerOptions Compact = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    /// <summary>A call's arguments as OpenAI sends them: one compact JSON object, as text (both OpenAI APIs).</summary>
    internal static byte[] ArgumentsJson(IDictionary<string, object?>? arguments) =>
        JsonSerializer.SerializeToUtf8Bytes(arguments ?? EmptyArguments, Compact.GetTypeInfo(typeof(IDictionary<string, object?>)));

    /// <summary>A tool result as the text OpenAI expects (both OpenAI APIs): strings as they are, anything else as compact JSON.</summary>
    internal static void WriteResultText(Utf8JsonWriter w, object? result)
    {
        switch (result)
        {
            case null: w.WriteStringValue(""); break;
            case string s: w.WriteStringValue(s); break;
            case JsonElement { ValueKind: JsonValueKind.String } e: w.WriteStringValue(e.GetString()); break;
            case JsonElement e: w.WriteStringValue(e.GetRawText()); break;
            default:
                w.WriteStringValue(JsonSerializer.SerializeToUtf8Bytes(result, Compact.GetTypeInfo(result.GetType())));
                break;
        }
    }
}
