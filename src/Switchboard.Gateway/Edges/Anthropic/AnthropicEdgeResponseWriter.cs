using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.Anthropic;

/// <summary>Writes canonical responses and errors as Anthropic Messages JSON. Pure.</summary>
internal static class AnthropicEdgeResponseWriter
{
    /// <summary>A <c>message</c> body for <paramref name="response"/>.</summary>
    public static byte[] WriteResponse(ChatResponse response, string model, string id) =>
        EdgeJsonWriter.Build((response, model, id), static (w, s) => Write(w, s.response, s.model, s.id));

    /// <summary>An error body <c>{"type":"error","error":{"type","message"}}</c>.</summary>
    public static byte[] WriteError(string type, string message) =>
        EdgeJsonWriter.Build((type, message), static (w, s) => AnthropicEdgeWire.WriteError(w, s.type, s.message));

    private static void Write(Utf8JsonWriter w, ChatResponse response, string model, string id)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", model);
        w.WriteStartArray("content");
        var hasToolCalls = false;
        var inText = false;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is TextContent text)
                {
                    // Consecutive text pieces form one text block.
                    if (!inText)
                    {
                        w.WriteStartObject();
                        w.WriteString("type", "text");
                        w.WritePropertyName("text");
                        w.WriteStringValueSegment(text.Text, isFinalSegment: false);
                        inText = true;
                    }
                    else
                    {
                        w.WriteStringValueSegment(text.Text, isFinalSegment: false);
                    }

                    continue;
                }

                if (content is not (TextReasoningContent or FunctionCallContent))
                {
                    continue;
                }

                CloseText(w, ref inText);
                if (content is FunctionCallContent call)
                {
                    hasToolCalls = true;
                    w.WriteStartObject();
                    w.WriteString("type", "tool_use");
                    w.WriteString("id", call.CallId);
                    w.WriteString("name", call.Name);
                    AnthropicEdgeWire.WriteDirectCaller(w);
                    w.WritePropertyName("input");
                    EdgeJsonWriter.WriteArguments(w, call.Arguments);
                    w.WriteEndObject();
                }
                else
                {
                    WriteThinking(w, (TextReasoningContent)content);
                }
            }
        }

        CloseText(w, ref inText);
        w.WriteEndArray();
        w.WriteString("stop_reason", AnthropicEdgeWire.StopReason(response.FinishReason, hasToolCalls));
        w.WriteNull("stop_sequence");
        w.WriteStartObject("usage");
        AnthropicEdgeWire.WriteUsageCounts(w, response.Usage, inputFallback: 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void CloseText(Utf8JsonWriter w, ref bool inText)
    {
        if (inText)
        {
            w.WriteStringValueSegment(ReadOnlySpan<char>.Empty, isFinalSegment: true);
            w.WriteEndObject();
            inText = false;
        }
    }

    /// <summary>A <c>thinking</c> block, or <c>redacted_thinking</c> when only the provider's opaque data is known.</summary>
    private static void WriteThinking(Utf8JsonWriter w, TextReasoningContent reasoning)
    {
        w.WriteStartObject();
        if (string.IsNullOrEmpty(reasoning.Text) && reasoning.ProtectedData is { } data)
        {
            w.WriteString("type", "redacted_thinking");
            w.WriteString("data", data);
        }
        else
        {
            w.WriteString("type", "thinking");
            w.WriteString("thinking", reasoning.Text);
            w.WriteString("signature", reasoning.ProtectedData ?? string.Empty);
        }

        w.WriteEndObject();
    }
}
