using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.Gemini;

/// <summary>Writes canonical answers as Gemini <c>GenerateContentResponse</c> JSON, and Gemini's error shape. Pure.</summary>
internal static class GeminiEdgeResponseWriter
{
    public static byte[] WriteResponse(ChatResponse response, string model, string responseId, bool includeThoughts) =>
        EdgeJsonWriter.Build((response, model, responseId, includeThoughts), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("candidates");
            w.WriteStartObject();
            w.WriteStartObject("content");
            w.WriteString("role", "model");
            w.WriteStartArray("parts");
            var wrote = false;
            foreach (var content in s.response.Messages.SelectMany(m => m.Contents))
            {
                wrote |= WritePart(w, content, s.includeThoughts);
            }

            if (!wrote)
            {
                WriteText(w, string.Empty);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("finishReason", FinishReason(s.response.FinishReason));
            w.WriteNumber("index", 0);
            w.WriteEndObject();
            w.WriteEndArray();
            WriteUsage(w, s.response.Usage, 0);
            w.WriteString("modelVersion", s.model);
            w.WriteString("responseId", s.responseId);
            w.WriteEndObject();
        });

    /// <summary>Writes one part; returns false when the content has no Gemini part here.</summary>
    public static bool WritePart(Utf8JsonWriter w, AIContent content, bool includeThoughts)
    {
        switch (content)
        {
            case TextContent { Text.Length: > 0 } text:
                WriteText(w, text.Text);
                return true;
            case TextReasoningContent { Text.Length: > 0 } reasoning when includeThoughts:
                w.WriteStartObject();
                w.WriteString("text", reasoning.Text);
                w.WriteBoolean("thought", true);
                w.WriteEndObject();
                return true;
            case FunctionCallContent call:
                w.WriteStartObject();
                w.WriteStartObject("functionCall");
                w.WriteString("id", call.CallId);
                w.WriteString("name", call.Name);
                w.WritePropertyName("args");
                EdgeJsonWriter.WriteArguments(w, call.Arguments);
                w.WriteEndObject();
                if (call.AdditionalProperties?.TryGetValue(GeminiEdgeContentMapper.ThoughtSignatureKey, out var signature) == true && signature is string sig)
                {
                    w.WriteString("thoughtSignature", sig);
                }

                w.WriteEndObject();
                return true;
            default:
                return false;
        }
    }

    public static void WriteText(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    /// <summary><c>usageMetadata</c>; <paramref name="inputFallback"/> when the input count is unknown.</summary>
    public static void WriteUsage(Utf8JsonWriter w, UsageDetails? usage, long inputFallback)
    {
        var input = usage?.InputTokenCount ?? inputFallback;
        var output = usage?.OutputTokenCount ?? 0;
        w.WriteStartObject("usageMetadata");
        w.WriteNumber("promptTokenCount", input);
        w.WriteNumber("candidatesTokenCount", output);
        w.WriteNumber("totalTokenCount", usage?.TotalTokenCount ?? input + output);
        if (usage?.CachedInputTokenCount is { } cached and > 0)
        {
            w.WriteNumber("cachedContentTokenCount", cached);
        }

        if (usage?.ReasoningTokenCount is { } thoughts and > 0)
        {
            w.WriteNumber("thoughtsTokenCount", thoughts);
        }

        w.WriteEndObject();
    }

    public static string FinishReason(ChatFinishReason? reason) =>
        reason == ChatFinishReason.Length ? "MAX_TOKENS"
        : reason == ChatFinishReason.ContentFilter ? "SAFETY"
        : "STOP";

    /// <summary><c>{"error":{"code","message","status"}}</c>.</summary>
    public static byte[] WriteError(int code, string message) => EdgeJsonWriter.Build((code, message), static (w, s) =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteNumber("code", s.code);
        w.WriteString("message", s.message);
        w.WriteString("status", Status(s.code));
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>Google's status name for an HTTP status.</summary>
    public static string Status(int code) => code switch
    {
        400 or 413 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        402 or 429 => "RESOURCE_EXHAUSTED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        499 => "CANCELLED",
        501 => "UNIMPLEMENTED",
        502 or 503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "INTERNAL",
    };
}
