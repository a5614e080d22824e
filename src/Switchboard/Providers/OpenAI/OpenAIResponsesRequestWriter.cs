using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Writes an OpenAI Responses request (<c>POST /responses</c>) from the canonical messages and options, plus what a Responses
/// edge kept for a native upstream (<see cref="PassThroughKeys.OpenAIResponsesFieldPrefix"/> fields, items under
/// <see cref="PassThroughKeys.OpenAIResponsesItem"/>). Always <c>store: false</c>: Switchboard owns conversation state. The same
/// request without what does not change a count (<c>store</c>, <c>stream</c>, sampling, <c>max_output_tokens</c>) is the
/// body of <c>POST /responses/input_tokens</c> (<c>forCount</c>). Pure.
/// </summary>
internal static class OpenAIResponsesRequestWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // Fields written from the canonical request, or never forwarded (state is the gateway's; streaming is the adapter's choice).
    private static readonly HashSet<string> NotPassedThrough = new(StringComparer.Ordinal)
    {
        "model", "input", "instructions", "stream", "stream_options", "store", "previous_response_id", "conversation", "background",
        "temperature", "top_p", "max_output_tokens", "parallel_tool_calls",
    };

    // What POST /responses/input_tokens takes beside model, input and instructions.
    private static readonly HashSet<string> CountFields = new(StringComparer.Ordinal)
    {
        "tools", "tool_choice", "parallel_tool_calls", "reasoning", "text", "truncation",
    };

    /// <summary>Whether a request asks for the native Responses path (the client spoke Responses).</summary>
    public static bool IsNative(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(PassThroughKeys.OpenAIResponses, out var marker) == true && marker is true;

    public static void Write(IBufferWriter<byte> output, IEnumerable<ChatMessage> messages, ChatOptions? options, string model, bool stream,
        OpenAIEndpoint endpoint, bool omitSampling = false, bool forCount = false)
    {
        using var w = new Utf8JsonWriter(output, WriterOptions);
        w.WriteStartObject();
        w.WriteString("model", model);
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var skip = 0;
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            w.WriteString("instructions", options.Instructions);
        }
        else if (list.Count > 0 && list[0].Role == ChatRole.System && list[0].Text is { Length: > 0 } instructions)
        {
            w.WriteString("instructions", instructions);
            skip = 1;
        }

        w.WriteStartArray("input");
        var customCalls = new HashSet<string>(StringComparer.Ordinal);
        for (var i = skip; i < list.Count; i++)
        {
            OpenAIResponsesInputWriter.WriteMessage(w, list[i], customCalls, endpoint.Name);
        }

        w.WriteEndArray();
        if (!forCount)
        {
            w.WriteBoolean("store", false);
        }

        if (stream && !forCount)
        {
            w.WriteBoolean("stream", true);
        }

        if (options is not null)
        {
            WriteOptions(w, options, endpoint, omitSampling || forCount, forCount);
        }

        w.WriteEndObject();
        w.Flush();
    }

    private static void WriteOptions(Utf8JsonWriter w, ChatOptions o, OpenAIEndpoint e, bool omitSampling, bool forCount)
    {
        if (!omitSampling)
        {
            WriteNumber(w, e, "temperature", o.Temperature);
            WriteNumber(w, e, "top_p", o.TopP);
        }

        if (o.MaxOutputTokens is int max && !forCount && e.Allows("max_output_tokens"))
        {
            w.WriteNumber("max_output_tokens", max);
        }

        if (o.AllowMultipleToolCalls is bool parallel && e.Allows("parallel_tool_calls"))
        {
            w.WriteBoolean("parallel_tool_calls", parallel);
        }

        var raw = RawFields(o, forCount);
        if (!raw.ContainsKey("tools") && o.Tools is { Count: > 0 } && e.Allows("tools"))
        {
            WriteTools(w, o, e);
        }

        if (!raw.ContainsKey("reasoning") && o.Reasoning?.Effort is { } effort && e.Allows("reasoning"))
        {
            w.WriteStartObject("reasoning");
            w.WriteString("effort", effort switch
            {
                ReasoningEffort.None => "none",
                ReasoningEffort.Low => "low",
                ReasoningEffort.Medium => "medium",
                ReasoningEffort.High => "high",
                _ => "xhigh",
            });
            w.WriteEndObject();
        }

        if (!raw.ContainsKey("text") && o.ResponseFormat is ChatResponseFormatJson json && e.Allows("text"))
        {
            WriteTextFormat(w, json, o.AdditionalProperties?.TryGetValue(OpenAIRequestMapper.StrictKey, out var s) == true && s is true);
        }

        foreach (var (name, value) in raw)
        {
            if (e.Allows(name))
            {
                w.WritePropertyName(name);
                value.WriteTo(w);
            }
        }
    }

    /// <summary>The top-level fields a Responses edge kept as sent, by field name, minus those never forwarded (for a count,
    /// only those the count endpoint takes).</summary>
    private static Dictionary<string, JsonElement> RawFields(ChatOptions o, bool forCount)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in o.AdditionalProperties ?? [])
        {
            if (key.StartsWith(PassThroughKeys.OpenAIResponsesFieldPrefix, StringComparison.Ordinal) && value is JsonElement element)
            {
                var name = key[PassThroughKeys.OpenAIResponsesFieldPrefix.Length..];
                if (!NotPassedThrough.Contains(name) && (!forCount || CountFields.Contains(name)))
                {
                    fields[name] = element;
                }
            }
        }

        return fields;
    }

    // Without the client's own tools (a library caller), the canonical functions in Responses' flat function shape.
    private static void WriteTools(Utf8JsonWriter w, ChatOptions o, OpenAIEndpoint e)
    {
        w.WriteStartArray("tools");
        foreach (var tool in o.Tools!)
        {
            if (tool is not AIFunctionDeclaration f)
            {
                continue;
            }

            w.WriteStartObject();
            w.WriteString("type", "function");
            OpenAIRequestMapper.WriteFunction(w, f);

            w.WriteBoolean("strict", o.AdditionalProperties?.TryGetValue(OpenAIRequestMapper.StrictKey, out var s) == true && s is true);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (o.ToolMode is { } mode && e.Allows("tool_choice"))
        {
            OpenAIRequestMapper.WriteToolChoice(w, mode, nested: false);
        }
    }

    private static void WriteTextFormat(Utf8JsonWriter w, ChatResponseFormatJson json, bool strict)
    {
        w.WriteStartObject("text");
        w.WriteStartObject("format");
        if (json.Schema is { } schema)
        {
            w.WriteString("type", "json_schema");
            w.WriteString("name", json.SchemaName ?? "response");
            if (json.SchemaDescription is { } description)
            {
                w.WriteString("description", description);
            }

            w.WritePropertyName("schema");
            schema.WriteTo(w);
            w.WriteBoolean("strict", strict);
        }
        else
        {
            w.WriteString("type", "json_object");
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter w, OpenAIEndpoint e, string name, float? value)
    {
        if (value is float v && e.Allows(name))
        {
            w.WriteNumber(name, (decimal)v);
        }
    }
}
