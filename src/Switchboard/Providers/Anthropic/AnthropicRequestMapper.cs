using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Pricing;

namespace Switchboard.Providers.Anthropic;

/// <summary>Writes a Messages API request body from the canonical messages and options. Pure.</summary>
/// <remarks>
/// JSON output: a <see cref="ChatResponseFormatJson"/> with a schema becomes <c>output_config.format</c> (structured output);
/// Anthropic has no schemaless JSON mode, so a bare JSON request is left to the prompt. Extended thinking is passed through
/// from <see cref="ChatOptions.AdditionalProperties"/>[<c>thinking</c>] as given.
/// </remarks>
internal static class AnthropicRequestMapper
{
    /// <summary>The key of <see cref="ChatOptions.AdditionalProperties"/> whose value is sent as <c>thinking</c>.</summary>
    public const string ThinkingKey = "thinking";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // not HTML: keep non-ASCII text compact
    };

    /// <summary>
    /// Writes the request JSON to <paramref name="output"/>. <c>max_tokens</c> is the caller's, else the catalog's
    /// <paramref name="model"/> maximum, else <see cref="AnthropicDefaults.MaxTokens"/>; sampling parameters are left out
    /// for models the catalog marks as rejecting them. With <paramref name="forCount"/>, the <c>count_tokens</c> body:
    /// no <c>max_tokens</c>, sampling, stop sequences or stream, and only the pass-through fields that endpoint takes. The
    /// client's own fields are written as sent when <paramref name="passThrough"/> (the upstream's rules) allows them.
    /// </summary>
    public static void ToAnthropic(IBufferWriter<byte> output, IEnumerable<ChatMessage> messages, ChatOptions? options, string modelId,
        ModelInfo? model, bool stream, bool forCount = false, ProviderPassThrough? passThrough = null)
    {
        using var w = new Utf8JsonWriter(output, WriterOptions);
        w.WriteStartObject();
        w.WriteString("model", modelId);
        var maxTokens = options?.MaxOutputTokens ?? model?.MaxOutputTokens ?? AnthropicDefaults.MaxTokens;
        if (!forCount)
        {
            w.WriteNumber("max_tokens", maxTokens);
        }

        AnthropicMessageWriter.Write(w, messages, options?.Instructions);
        if (options is not null)
        {
            var reasoning = AnthropicReasoning.From(options, model, maxTokens);
            // Thinking does not combine with sampling changes: translated thinking drops them (a client's own thinking keeps its request as sent).
            if (model?.RejectsSamplingParameters != true && !forCount && !reasoning.Thinks)
            {
                WriteSampling(w, options);
            }

            if (!forCount)
            {
                WriteStopSequences(w, options.StopSequences);
            }

            WriteTools(w, options, RawField(options, "tools"));
            WriteOutputConfig(w, options.ResponseFormat as ChatResponseFormatJson, reasoning.Effort);
            reasoning.WriteThinking(w);
            if ((options.AdditionalProperties?.TryGetValue(ThinkingKey, out var thinking) == true
                    || (passThrough?.AllowsField(ThinkingKey) != false
                        && options.AdditionalProperties?.TryGetValue(Chat.PassThroughKeys.AnthropicFieldPrefix + ThinkingKey, out thinking) == true))
                && thinking is not null)
            {
                w.WritePropertyName("thinking");
                AnthropicMessageWriter.WriteValue(w, thinking);
            }

            WritePassThrough(w, options, forCount, passThrough);
        }

        if (stream && !forCount)
        {
            w.WriteBoolean("stream", true);
        }

        w.WriteEndObject();
        w.Flush();
    }

    private static void WriteSampling(Utf8JsonWriter w, ChatOptions o)
    {
        if (o.Temperature is float temperature)
        {
            w.WriteNumber("temperature", (decimal)temperature); // decimal keeps 0.2f as 0.2 on the wire
        }

        if (o.TopP is float topP)
        {
            w.WriteNumber("top_p", (decimal)topP);
        }

        if (o.TopK is int topK)
        {
            w.WriteNumber("top_k", topK);
        }
    }

    private static void WriteStopSequences(Utf8JsonWriter w, IList<string>? stops)
    {
        if (stops is not { Count: > 0 })
        {
            return;
        }

        w.WriteStartArray("stop_sequences");
        foreach (var stop in stops)
        {
            w.WriteStringValue(stop);
        }

        w.WriteEndArray();
    }

    // Fields an Anthropic edge kept as sent (Chat.PassThroughKeys.AnthropicFieldPrefix): unknown to the canonical model, written
    // back unchanged for an Anthropic upstream. What this mapper writes itself is never written twice.
    private static readonly HashSet<string> s_mappedFields = new(StringComparer.Ordinal)
    {
        "model", "max_tokens", "messages", "system", "stream", "temperature", "top_p", "top_k", "stop_sequences", "tools", "tool_choice",
        ThinkingKey,
    };

    private static JsonElement? RawField(ChatOptions options, string name) =>
        options.AdditionalProperties?.TryGetValue(Chat.PassThroughKeys.AnthropicFieldPrefix + name, out var value) == true
        && value is JsonElement { ValueKind: not JsonValueKind.Null } element ? element : null;

    // What count_tokens takes beyond model, messages, system, tools, tool_choice and thinking (it refuses the rest).
    private static readonly HashSet<string> s_countFields = new(StringComparer.Ordinal)
    {
        "output_config", "output_format", "context_management", "mcp_servers",
    };

    private static void WritePassThrough(Utf8JsonWriter w, ChatOptions options, bool forCount, ProviderPassThrough? passThrough)
    {
        foreach (var (key, value) in options.AdditionalProperties ?? [])
        {
            if (!key.StartsWith(Chat.PassThroughKeys.AnthropicFieldPrefix, StringComparison.Ordinal) || value is not JsonElement element)
            {
                continue;
            }

            var name = key[Chat.PassThroughKeys.AnthropicFieldPrefix.Length..];
            if (s_mappedFields.Contains(name) || (forCount && !s_countFields.Contains(name)) || passThrough?.AllowsField(name) == false ||
                (name == "output_config" && options.ResponseFormat is ChatResponseFormatJson { Schema: not null }))
            {
                continue;
            }

            w.WritePropertyName(name);
            element.WriteTo(w);
        }
    }

    private static void WriteTools(Utf8JsonWriter w, ChatOptions o, JsonElement? raw)
    {
        if (raw is { ValueKind: JsonValueKind.Array } sent && sent.GetArrayLength() > 0)
        {
            w.WritePropertyName("tools"); // as the Anthropic client sent them: cache_control, defer_loading and all
            sent.WriteTo(w);
            WriteToolChoice(w, o);
            return;
        }

        var functions = o.Tools?.OfType<AIFunctionDeclaration>().ToList();
        if (functions is not { Count: > 0 })
        {
            return; // tool_choice without tools is a 400, so the mode goes only with tools
        }

        w.WriteStartArray("tools");
        foreach (var f in functions)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            if (!string.IsNullOrEmpty(f.Description))
            {
                w.WriteString("description", f.Description);
            }

            w.WritePropertyName("input_schema");
            if (f.JsonSchema.ValueKind == JsonValueKind.Object)
            {
                f.JsonSchema.WriteTo(w);
            }
            else
            {
                w.WriteStartObject();
                w.WriteString("type", "object");
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        WriteToolChoice(w, o);
    }

    private static void WriteToolChoice(Utf8JsonWriter w, ChatOptions o)
    {
        if (o.ToolMode is null && o.AllowMultipleToolCalls != false)
        {
            return;
        }

        w.WriteStartObject("tool_choice");
        switch (o.ToolMode)
        {
            case NoneChatToolMode:
                w.WriteString("type", "none");
                break;
            case RequiredChatToolMode { RequiredFunctionName: { } name }:
                w.WriteString("type", "tool");
                w.WriteString("name", name);
                break;
            case RequiredChatToolMode:
                w.WriteString("type", "any");
                break;
            default:
                w.WriteString("type", "auto");
                break;
        }

        if (o.AllowMultipleToolCalls == false && o.ToolMode is not NoneChatToolMode)
        {
            w.WriteBoolean("disable_parallel_tool_use", true);
        }

        w.WriteEndObject();
    }

    // output_config: the structured output format and/or the translated effort (adaptive thinking models).
    private static void WriteOutputConfig(Utf8JsonWriter w, ChatResponseFormatJson? json, string? effort)
    {
        var schema = json?.Schema is { ValueKind: JsonValueKind.Object } s ? s : (JsonElement?)null;
        if (schema is null && effort is null)
        {
            return;
        }

        w.WriteStartObject("output_config");
        if (schema is { } format)
        {
            w.WriteStartObject("format");
            w.WriteString("type", "json_schema");
            w.WritePropertyName("schema");
            format.WriteTo(w);
            w.WriteEndObject();
        }

        if (effort is not null)
        {
            w.WriteString("effort", effort);
        }

        w.WriteEndObject();
    }
}
