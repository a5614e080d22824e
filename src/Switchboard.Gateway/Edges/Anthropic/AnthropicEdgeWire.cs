using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;

namespace Switchboard.Gateway.Edges.Anthropic;

/// <summary>Pieces of the Anthropic wire shared by the response and stream writers.</summary>
internal static class AnthropicEdgeWire
{
    /// <summary>The <c>stop_reason</c>: tool calls win over a plain (or missing) stop, as clients loop on <c>tool_use</c>.</summary>
    public static string StopReason(ChatFinishReason? reason, bool hasToolCalls)
    {
        if (hasToolCalls && (reason is null || reason == ChatFinishReason.Stop))
        {
            return "tool_use";
        }

        if (reason == ChatFinishReason.Length)
        {
            return "max_tokens";
        }

        if (reason == ChatFinishReason.ToolCalls)
        {
            return "tool_use";
        }

        return reason == ChatFinishReason.ContentFilter ? "refusal" : "end_turn";
    }

    /// <summary>Anthropic's <c>input_tokens</c>: canonical input minus cache reads and cache writes (Anthropic counts those apart).</summary>
    public static long? UncachedInput(UsageDetails? usage)
    {
        if (usage?.InputTokenCount is not { } input)
        {
            return null;
        }

        var uncached = input - (usage.CachedInputTokenCount ?? 0) - CacheWrite(usage);
        return Math.Max(0, uncached);
    }

    public static long CacheWrite(UsageDetails? usage) =>
        usage?.AdditionalCounts?.TryGetValue(UsageKeys.CacheWriteInputTokens, out var value) == true ? value : 0;

    /// <summary>Writes the four usage counts (unknown counts as 0; <paramref name="inputFallback"/> when input is unknown).</summary>
    public static void WriteUsageCounts(Utf8JsonWriter w, UsageDetails? usage, long inputFallback)
    {
        w.WriteNumber("input_tokens", UncachedInput(usage) ?? inputFallback);
        w.WriteNumber("cache_creation_input_tokens", CacheWrite(usage));
        w.WriteNumber("cache_read_input_tokens", usage?.CachedInputTokenCount ?? 0);
        w.WriteNumber("output_tokens", usage?.OutputTokenCount ?? 0);
    }

    /// <summary>Writes a tool_use block's <c>"caller": {"type": "direct"}</c> (the Anthropic C# SDK 13.x requires it).</summary>
    public static void WriteDirectCaller(Utf8JsonWriter w)
    {
        w.WriteStartObject("caller");
        w.WriteString("type", "direct");
        w.WriteEndObject();
    }

    /// <summary>Writes <c>{"type":"error","error":{"type","message"}}</c>.</summary>
    public static void WriteError(Utf8JsonWriter w, string type, string message)
    {
        w.WriteStartObject();
        w.WriteString("type", "error");
        w.WriteStartObject("error");
        w.WriteString("type", type);
        w.WriteString("message", message);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
