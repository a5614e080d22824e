using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.OpenAI;

/// <summary>Writes canonical responses and errors as OpenAI Chat Completions JSON. Pure.</summary>
internal static class OpenAIEdgeResponseWriter
{
    /// <summary>A <c>chat.completion</c> body for <paramref name="response"/>.</summary>
    public static byte[] WriteResponse(ChatResponse response, string model, string id, long created) =>
        EdgeJsonWriter.Build((response, model, id, created), static (w, s) => Write(w, s.response, s.model, s.id, s.created));

    /// <summary>An error body <c>{"error":{"message","type","param","code"}}</c>.</summary>
    public static byte[] WriteError(string message, string type, string? code, string? param) =>
        EdgeJsonWriter.Build((message, type, code, param), static (w, s) =>
        {
            w.WriteStartObject();
            OpenAIEdgeWire.WriteErrorObject(w, s.message, s.type, s.code, s.param);
            w.WriteEndObject();
        });

    private static void Write(Utf8JsonWriter w, ChatResponse response, string model, string id, long created)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "chat.completion");
        w.WriteNumber("created", created);
        w.WriteString("model", model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        OpenAIEdgeWire.WriteNullableString(w, "content", EdgeJsonWriter.TextOf(response.Messages));
        var hasToolCalls = false;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent call)
                {
                    if (!hasToolCalls)
                    {
                        w.WriteStartArray("tool_calls");
                        hasToolCalls = true;
                    }

                    OpenAIEdgeWire.WriteToolCall(w, call, index: null);
                }
            }
        }

        if (hasToolCalls)
        {
            w.WriteEndArray();
        }

        w.WriteNull("refusal");
        w.WriteEndObject();
        w.WriteNull("logprobs");
        w.WriteString("finish_reason", OpenAIEdgeWire.FinishReason(response.FinishReason, hasToolCalls));
        w.WriteEndObject();
        w.WriteEndArray();
        OpenAIEdgeWire.WriteUsage(w, response.Usage);
        w.WriteNull("system_fingerprint");
        w.WriteEndObject();
    }
}
