using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.Responses;

/// <summary>Pieces of the Responses wire shared by the response and stream writers: the response object, output items, usage.</summary>
internal static class ResponsesEdgeWire
{
    /// <summary>The state of a response object as written.</summary>
    public readonly record struct Snapshot(string Id, long Created, string Model, string Status, IReadOnlyList<ResponsesOutputItem> Items,
        UsageDetails? Usage, string? IncompleteReason = null, string? ErrorCode = null, string? ErrorMessage = null);

    /// <summary>Writes the whole response object (<c>"object": "response"</c>), echoing the request's settings from <paramref name="context"/>.</summary>
    public static void WriteResponse(Utf8JsonWriter w, ResponsesEdgeContext context, in Snapshot s)
    {
        w.WriteStartObject();
        w.WriteString("id", s.Id);
        w.WriteString("object", "response");
        w.WriteNumber("created_at", s.Created);
        w.WriteString("status", s.Status);
        w.WriteBoolean("background", false);
        if (s.ErrorMessage is { } message)
        {
            w.WriteStartObject("error");
            w.WriteString("code", s.ErrorCode ?? "server_error");
            w.WriteString("message", message);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("error");
        }

        if (s.IncompleteReason is { } reason)
        {
            w.WriteStartObject("incomplete_details");
            w.WriteString("reason", reason);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("incomplete_details");
        }

        WriteNullable(w, "instructions", context.Instructions);
        WriteNullable(w, "max_output_tokens", context.MaxOutputTokens);
        w.WriteString("model", s.Model);
        w.WriteStartArray("output");
        for (var i = 0; i < s.Items.Count; i++)
        {
            WriteItem(w, s.Items[i], ItemStatus(s.Status, last: i == s.Items.Count - 1));
        }

        w.WriteEndArray();
        w.WriteBoolean("parallel_tool_calls", context.ParallelToolCalls);
        WriteNullable(w, "previous_response_id", context.PreviousResponseId);
        w.WriteStartObject("reasoning");
        WriteNullable(w, "effort", context.ReasoningEffort);
        WriteNullable(w, "summary", context.ReasoningSummary);
        w.WriteEndObject();
        w.WriteBoolean("store", context.Store);
        w.WriteNumber("temperature", context.Temperature ?? 1.0);
        WriteRaw(w, "text", context.TextJson, """{"format":{"type":"text"}}"""u8);
        WriteRaw(w, "tool_choice", context.ToolChoiceJson, "\"auto\""u8);
        WriteRaw(w, "tools", context.ToolsJson, "[]"u8);
        w.WriteNumber("top_p", context.TopP ?? 1.0);
        w.WriteString("truncation", "disabled");
        if (s.Usage is null && s.Status == "in_progress")
        {
            w.WriteNull("usage");
        }
        else
        {
            WriteUsage(w, s.Usage);
        }

        WriteNullable(w, "user", context.User);
        WriteNullable(w, "prompt_cache_key", context.PromptCacheKey);
        WriteRaw(w, "metadata", context.MetadataJson, "{}"u8);
        w.WriteEndObject();
    }

    /// <summary>
    /// An output item's status in a response with <paramref name="responseStatus"/>: the item being written when a response
    /// stopped short (<c>incomplete</c> at max_output_tokens or a content filter, <c>failed</c> when the stream broke) is
    /// itself <c>incomplete</c>, as OpenAI marks it; the items before it were finished.
    /// </summary>
    public static string ItemStatus(string responseStatus, bool last) => responseStatus switch
    {
        "in_progress" => "in_progress",
        "completed" => "completed",
        _ => last ? "incomplete" : "completed",
    };

    /// <summary>Writes one output item with <paramref name="status"/>; an in-progress message has no content yet.</summary>
    public static void WriteItem(Utf8JsonWriter w, ResponsesOutputItem item, string status)
    {
        if (item.Kind == ResponsesOutputItem.ItemKind.Native)
        {
            // As the OpenAI upstream sent it: encrypted reasoning must come back byte for byte.
            w.WriteRawValue(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(item.Raw), skipInputValidation: true);
            return;
        }

        w.WriteStartObject();
        w.WriteString("id", item.Id);
        switch (item.Kind)
        {
            case ResponsesOutputItem.ItemKind.Reasoning:
                w.WriteString("type", "reasoning");
                w.WriteStartArray("summary");
                if (status != "in_progress")
                {
                    WriteSummaryPart(w, item.Text.ToString());
                }

                w.WriteEndArray();
                break;
            case ResponsesOutputItem.ItemKind.Message:
                w.WriteString("type", "message");
                w.WriteString("status", status);
                w.WriteString("role", "assistant");
                w.WriteStartArray("content");
                if (status != "in_progress")
                {
                    WriteTextPart(w, item.Text.ToString());
                }

                w.WriteEndArray();
                break;
            case ResponsesOutputItem.ItemKind.FunctionCall:
                w.WriteString("type", "function_call");
                w.WriteString("status", status);
                w.WriteString("call_id", item.CallId);
                w.WriteString("name", item.Name);
                if (item.Namespace is { } ns)
                {
                    w.WriteString("namespace", ns);
                }

                w.WriteString("arguments", status == "in_progress" ? "" : item.Payload);
                break;
            default:
                w.WriteString("type", "custom_tool_call");
                w.WriteString("status", status);
                w.WriteString("call_id", item.CallId);
                w.WriteString("name", item.Name);
                if (item.Namespace is { } customNs)
                {
                    w.WriteString("namespace", customNs);
                }

                w.WriteString("input", status == "in_progress" ? "" : item.Payload);
                break;
        }

        w.WriteEndObject();
    }

    /// <summary>Writes <c>{"type":"summary_text","text"}</c>.</summary>
    public static void WriteSummaryPart(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "summary_text");
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    /// <summary>Writes <c>{"type":"output_text","text","annotations":[],"logprobs":[]}</c>.</summary>
    public static void WriteTextPart(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "output_text");
        w.WriteString("text", text);
        w.WriteStartArray("annotations");
        w.WriteEndArray();
        w.WriteStartArray("logprobs");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Writes <c>"usage"</c> with every count Codex requires (unknown counts as 0).</summary>
    public static void WriteUsage(Utf8JsonWriter w, UsageDetails? usage)
    {
        var input = usage?.InputTokenCount ?? 0;
        var output = usage?.OutputTokenCount ?? 0;
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", input);
        w.WriteStartObject("input_tokens_details");
        w.WriteNumber("cached_tokens", usage?.CachedInputTokenCount ?? 0);
        w.WriteEndObject();
        w.WriteNumber("output_tokens", output);
        w.WriteStartObject("output_tokens_details");
        w.WriteNumber("reasoning_tokens", usage?.ReasoningTokenCount ?? 0);
        w.WriteEndObject();
        w.WriteNumber("total_tokens", usage?.TotalTokenCount ?? input + output);
        w.WriteEndObject();
    }

    /// <summary>The <c>status</c> and <c>incomplete_details.reason</c> for a finish reason.</summary>
    public static (string Status, string? IncompleteReason) StatusOf(ChatFinishReason? reason) =>
        reason == ChatFinishReason.Length ? ("incomplete", "max_output_tokens")
        : reason == ChatFinishReason.ContentFilter ? ("incomplete", "content_filter")
        : ("completed", null);

    private static void WriteRaw(Utf8JsonWriter w, string name, JsonElement? value, ReadOnlySpan<byte> fallback)
    {
        w.WritePropertyName(name);
        if (value is { } element)
        {
            element.WriteTo(w);
        }
        else
        {
            w.WriteRawValue(fallback, skipInputValidation: true);
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
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

    private static void WriteNullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
