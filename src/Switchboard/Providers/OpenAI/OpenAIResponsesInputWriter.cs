using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Writes canonical messages as Responses <c>input</c> items: text and media as <c>message</c> items, calls as
/// <c>function_call</c>, results as <c>function_call_output</c>; content that carries an item as sent
/// (<see cref="PassThroughKeys.OpenAIResponsesItem"/>) is written verbatim; reasoning without one (another provider's) is dropped. Pure.
/// </summary>
internal static class OpenAIResponsesInputWriter
{
    /// <summary>Writes one message's items; <paramref name="customCalls"/> holds the call ids of the <c>custom_tool_call</c>s written so
    /// far (their results go out as <c>custom_tool_call_output</c>).</summary>
    public static void WriteMessage(Utf8JsonWriter w, ChatMessage message, HashSet<string> customCalls, string provider)
    {
        var role = message.Role == ChatRole.System ? "developer" : message.Role == ChatRole.Assistant ? "assistant" : "user";
        var open = false;
        foreach (var content in message.Contents)
        {
            if (RawItem(content) is { } item)
            {
                if (content is TextReasoningContent && !item.TryGetProperty("encrypted_content", out _))
                {
                    // With store:false (always, here) OpenAI can only use reasoning it can decrypt; one without is refused by id.
                    continue;
                }

                Close(w, ref open);
                w.WriteRawValue(JsonMarshal.GetRawUtf8Value(item), skipInputValidation: true); // byte for byte: encrypted content
                if (content is FunctionCallContent { CallId: var callId } && item.TryGetProperty("type", out var type) && type.ValueEquals("custom_tool_call"))
                {
                    customCalls.Add(callId);
                }

                continue;
            }

            switch (content)
            {
                case TextContent { Text.Length: > 0 } or DataContent or UriContent:
                    if (!open)
                    {
                        Open(w, message, role);
                        open = true;
                    }

                    WritePart(w, content, role, provider);
                    break;
                case FunctionCallContent call:
                    Close(w, ref open);
                    w.WriteStartObject();
                    w.WriteString("type", "function_call");
                    w.WriteString("call_id", call.CallId);
                    w.WriteString("name", call.Name);
                    w.WriteString("arguments", OpenAIMessageWriter.ArgumentsJson(call.Arguments));
                    w.WriteEndObject();
                    break;
                case FunctionResultContent result:
                    Close(w, ref open);
                    w.WriteStartObject();
                    w.WriteString("type", customCalls.Contains(result.CallId) ? "custom_tool_call_output" : "function_call_output");
                    w.WriteString("call_id", result.CallId);
                    w.WritePropertyName("output");
                    OpenAIMessageWriter.WriteResultText(w, result.Result);
                    w.WriteEndObject();
                    break;
                default:
                    // Reasoning another provider produced (or without its item), usage and the like: nothing OpenAI can read.
                    break;
            }
        }

        Close(w, ref open);
    }

    /// <summary>The item a client or OpenAI sent for this content, if any.</summary>
    public static JsonElement? RawItem(AIContent content) =>
        content.AdditionalProperties?.TryGetValue(PassThroughKeys.OpenAIResponsesItem, out var raw) == true && raw is JsonElement
        {
            ValueKind: JsonValueKind.Object,
        } element ? element : null;

    private static void Open(Utf8JsonWriter w, ChatMessage message, string role)
    {
        w.WriteStartObject();
        w.WriteString("type", "message");
        w.WriteString("role", role);
        if (message.AdditionalProperties?.TryGetValue("phase", out var phase) == true && phase is string p)
        {
            w.WriteString("phase", p);
        }

        w.WriteStartArray("content");
    }

    private static void Close(Utf8JsonWriter w, ref bool open)
    {
        if (open)
        {
            w.WriteEndArray();
            w.WriteEndObject();
            open = false;
        }
    }

    private static void WritePart(Utf8JsonWriter w, AIContent content, string role, string provider)
    {
        w.WriteStartObject();
        switch (content)
        {
            case TextContent text:
                w.WriteString("type", role == "assistant" ? "output_text" : "input_text");
                w.WriteString("text", text.Text);
                if (role == "assistant")
                {
                    w.WriteStartArray("annotations");
                    w.WriteEndArray();
                }

                break;
            case DataContent data when data.HasTopLevelMediaType("image"):
                w.WriteString("type", "input_image");
                w.WriteString("image_url", data.Uri);
                WriteDetail(w, data);
                break;
            case DataContent data:
                w.WriteString("type", "input_file");
                w.WriteString("filename", data.Name ?? "file");
                w.WriteString("file_data", data.Uri);
                break;
            case UriContent uri when uri.HasTopLevelMediaType("image"):
                w.WriteString("type", "input_image");
                w.WriteString("image_url", uri.Uri.OriginalString);
                WriteDetail(w, uri);
                break;
            case UriContent uri:
                w.WriteString("type", "input_file");
                w.WriteString("file_url", uri.Uri.OriginalString);
                break;
            default:
                throw new ProviderException(ProviderErrorKind.InvalidRequest, $"{provider} cannot take a {content.GetType().Name} in a message.", provider);
        }

        w.WriteEndObject();
    }

    private static void WriteDetail(Utf8JsonWriter w, AIContent content)
    {
        w.WriteString("detail", content.AdditionalProperties?.TryGetValue("detail", out var detail) == true && detail is string d ? d : "auto");
    }
}
