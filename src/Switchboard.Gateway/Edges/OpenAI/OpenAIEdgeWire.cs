using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;

namespace Switchboard.Gateway.Edges.OpenAI;

/// <summary>Pieces of the OpenAI wire shared by the response and stream writers.</summary>
internal static class OpenAIEdgeWire
{
    /// <summary>The <c>finish_reason</c>: tool calls win over a plain (or missing) stop, as clients loop on <c>tool_calls</c>.</summary>
    public static string FinishReason(ChatFinishReason? reason, bool hasToolCalls)
    {
        if (hasToolCalls && (reason is null || reason == ChatFinishReason.Stop))
        {
            return "tool_calls";
        }

        if (reason == ChatFinishReason.Length)
        {
            return "length";
        }

        if (reason == ChatFinishReason.ToolCalls)
        {
            return "tool_calls";
        }

        return reason == ChatFinishReason.ContentFilter ? "content_filter" : "stop";
    }

    /// <summary>Writes <c>"usage": {...}</c>; canonical counts already match OpenAI's (cached and reasoning tokens are included in their totals). Unknown counts are written as 0.</summary>
    public static void WriteUsage(Utf8JsonWriter w, UsageDetails? usage)
    {
        var input = usage?.InputTokenCount ?? 0;
        var output = usage?.OutputTokenCount ?? 0;
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", input);
        w.WriteNumber("completion_tokens", output);
        w.WriteNumber("total_tokens", usage?.TotalTokenCount ?? input + output);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", usage?.CachedInputTokenCount ?? 0);
        if (usage?.AdditionalCounts?.TryGetValue(UsageKeys.CacheWriteInputTokens, out var cacheWrite) == true)
        {
            w.WriteNumber("cache_write_tokens", cacheWrite);
        }

        w.WriteEndObject();
        w.WriteStartObject("completion_tokens_details");
        w.WriteNumber("reasoning_tokens", usage?.ReasoningTokenCount ?? 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Writes <c>"error": {message, type, param, code}</c>.</summary>
    public static void WriteErrorObject(Utf8JsonWriter w, string message, string type, string? code, string? param)
    {
        w.WriteStartObject("error");
        w.WriteString("message", message);
        w.WriteString("type", type);
        WriteNullableString(w, "param", param);
        WriteNullableString(w, "code", code);
        w.WriteEndObject();
    }

    /// <summary>Writes one tool call <c>{"id","type":"function","function":{"name","arguments"}}</c>, with <c>index</c> in a stream.</summary>
    public static void WriteToolCall(Utf8JsonWriter w, FunctionCallContent call, int? index)
    {
        w.WriteStartObject();
        if (index is { } i)
        {
            w.WriteNumber("index", i);
        }

        w.WriteString("id", call.CallId);
        w.WriteString("type", "function");
        w.WriteStartObject("function");
        w.WriteString("name", call.Name);
        w.WritePropertyName("arguments");
        EdgeJsonWriter.WriteArgumentsString(w, call.Arguments);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteNullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
