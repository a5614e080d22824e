using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Providers.OpenAI;

/// <summary>Writes a Chat Completions request body from the canonical messages and options. Pure.</summary>
internal static class OpenAIRequestMapper
{
    /// <summary>Key of <see cref="ChatOptions.AdditionalProperties"/> that marks tool and response schemas strict (Microsoft.Extensions.AI's convention).</summary>
    public const string StrictKey = "strictJsonSchema";

    private const string ReservedPrefix = "switchboard.";
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // not HTML: keep non-ASCII text compact
    };

    /// <summary>Writes the request JSON for <paramref name="model"/> to <paramref name="output"/>; with
    /// <paramref name="omitSampling"/>, temperature and top_p are left out (models that reject them).</summary>
    public static void ToOpenAI(IBufferWriter<byte> output, IEnumerable<ChatMessage> messages, ChatOptions? options,
        string model, bool stream, OpenAIEndpoint endpoint, bool omitSampling = false)
    {
        using var w = new Utf8JsonWriter(output, WriterOptions);
        w.WriteStartObject();
        w.WriteString("model", model);
        w.WritePropertyName("messages");
        OpenAIMessageWriter.WriteMessages(w, messages, options?.Instructions, endpoint.Name);

        if (options is not null)
        {
            WriteOptions(w, options, endpoint, omitSampling);
        }

        if (stream)
        {
            w.WriteBoolean("stream", true);
            if (endpoint.Allows("stream_options"))
            {
                w.WriteStartObject("stream_options");
                w.WriteBoolean("include_usage", true);
                w.WriteEndObject();
            }
        }

        if (options?.AdditionalProperties is { Count: > 0 } extra)
        {
            foreach (var (key, value) in extra)
            {
                if (!key.StartsWith(ReservedPrefix, StringComparison.Ordinal) && key != StrictKey &&
                    endpoint.Allows(key) && !IsWrittenByMapper(key, options, stream, endpoint))
                {
                    w.WritePropertyName(key);
                    WriteValue(w, value);
                }
            }
        }

        w.WriteEndObject();
        w.Flush();
    }

    private static void WriteOptions(Utf8JsonWriter w, ChatOptions o, OpenAIEndpoint e, bool omitSampling)
    {
        if (!omitSampling)
        {
            WriteNumber(w, e, "temperature", o.Temperature);
            WriteNumber(w, e, "top_p", o.TopP);
        }

        if (o.MaxOutputTokens is int max && e.Allows(MaxTokensField(e)))
        {
            w.WriteNumber(MaxTokensField(e), max);
        }

        if (o.StopSequences is { Count: > 0 } stops && e.Allows("stop"))
        {
            w.WriteStartArray("stop");
            foreach (var stop in stops)
            {
                w.WriteStringValue(stop);
            }

            w.WriteEndArray();
        }

        if (o.Seed is long seed && e.Allows("seed"))
        {
            w.WriteNumber("seed", seed);
        }

        WriteNumber(w, e, "frequency_penalty", o.FrequencyPenalty);
        WriteNumber(w, e, "presence_penalty", o.PresencePenalty);
        // The canonical effort (from another protocol's reasoning setting); a reasoning_effort the client sent wins, as sent.
        if (o.Reasoning?.Effort is { } effort && e.Allows("reasoning_effort") && o.AdditionalProperties?.ContainsKey("reasoning_effort") != true)
        {
            w.WriteString("reasoning_effort", Chat.ReasoningEfforts.Name(effort));
        }

        var strict = o.AdditionalProperties?.TryGetValue(StrictKey, out var s) == true && s is true;
        if (HasFunctions(o) && e.Allows("tools"))
        {
            WriteTools(w, o, e, strict);
        }

        if (o.ResponseFormat is ChatResponseFormatJson json && e.Allows("response_format"))
        {
            w.WriteStartObject("response_format");
            if (json.Schema is { } schema)
            {
                w.WriteString("type", "json_schema");
                w.WriteStartObject("json_schema");
                w.WriteString("name", json.SchemaName ?? "json_schema");
                if (json.SchemaDescription is { } description)
                {
                    w.WriteString("description", description);
                }

                w.WritePropertyName("schema");
                schema.WriteTo(w);
                if (strict)
                {
                    w.WriteBoolean("strict", true);
                }

                w.WriteEndObject();
            }
            else
            {
                w.WriteString("type", "json_object");
            }

            w.WriteEndObject();
        }
    }

    private static void WriteTools(Utf8JsonWriter w, ChatOptions o, OpenAIEndpoint e, bool strict)
    {
        w.WriteStartArray("tools");
        foreach (var tool in o.Tools!)
        {
            if (tool is not AIFunctionDeclaration f)
            {
                continue; // hosted tools have no Chat Completions form
            }

            w.WriteStartObject();
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            WriteFunction(w, f);

            if (strict)
            {
                w.WriteBoolean("strict", true);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();

        if (o.ToolMode is { } mode && e.Allows("tool_choice"))
        {
            WriteToolChoice(w, mode, nested: true);
        }

        if (o.AllowMultipleToolCalls is bool parallel && e.Allows("parallel_tool_calls"))
        {
            w.WriteBoolean("parallel_tool_calls", parallel);
        }
    }

    private static bool HasFunctions(ChatOptions o)
    {
        if (o.Tools is not { Count: > 0 } tools)
        {
            return false;
        }

        foreach (var tool in tools)
        {
            if (tool is AIFunctionDeclaration)
            {
                return true;
            }
        }

        return false;
    }

    private static string MaxTokensField(OpenAIEndpoint e) => e.UsesLegacyMaxTokens ? "max_tokens" : "max_completion_tokens";

    private static void WriteNumber(Utf8JsonWriter w, OpenAIEndpoint e, string name, float? value)
    {
        if (value is float v && e.Allows(name))
        {
            w.WriteNumber(name, (decimal)v); // decimal keeps 0.2f as 0.2 on the wire
        }
    }

    // Typed options win over a pass-through entry of the same name, so a field is never written twice.
    private static bool IsWrittenByMapper(string key, ChatOptions o, bool stream, OpenAIEndpoint e) => key switch
    {
        "model" or "messages" => true,
        "stream" or "stream_options" => stream,
        "temperature" => o.Temperature is not null,
        "top_p" => o.TopP is not null,
        "max_tokens" or "max_completion_tokens" => o.MaxOutputTokens is not null,
        "stop" => o.StopSequences is { Count: > 0 },
        "seed" => o.Seed is not null,
        "frequency_penalty" => o.FrequencyPenalty is not null,
        "presence_penalty" => o.PresencePenalty is not null,
        "tools" or "tool_choice" or "parallel_tool_calls" => HasFunctions(o),
        "response_format" => o.ResponseFormat is ChatResponseFormatJson,
        _ => false,
    };

    /// <summary>Writes a pass-through value: JSON verbatim, primitives as such, anything else serialized.</summary>
    internal static void WriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case JsonElement element: element.WriteTo(w); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case float f: w.WriteNumberValue((decimal)f); break;
            case double d: w.WriteNumberValue(d); break;
            case decimal m: w.WriteNumberValue(m); break;
            default: JsonSerializer.Serialize(w, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())); break;
        }
    }

    /// <summary>A function's <c>name</c>, <c>description</c> and <c>parameters</c> (an empty object schema when it has none), as
    /// both OpenAI APIs write them.</summary>
    internal static void WriteFunction(Utf8JsonWriter w, AIFunctionDeclaration f)
    {
        w.WriteString("name", f.Name);
        if (!string.IsNullOrEmpty(f.Description))
        {
            w.WriteString("description", f.Description);
        }

        w.WritePropertyName("parameters");
        if (f.JsonSchema.ValueKind == JsonValueKind.Object)
        {
            f.JsonSchema.WriteTo(w);
        }
        else
        {
            w.WriteRawValue("""{"type":"object","properties":{}}""", skipInputValidation: true);
        }
    }

    /// <summary><c>tool_choice</c> for a canonical tool mode; a named function is <c>{type, function: {name}}</c> in Chat
    /// Completions (<paramref name="nested"/>) and <c>{type, name}</c> in Responses.</summary>
    internal static void WriteToolChoice(Utf8JsonWriter w, ChatToolMode mode, bool nested)
    {
        w.WritePropertyName("tool_choice");
        switch (mode)
        {
            case NoneChatToolMode:
                w.WriteStringValue("none");
                break;
            case RequiredChatToolMode { RequiredFunctionName: { } name }:
                w.WriteStartObject();
                w.WriteString("type", "function");
                if (nested)
                {
                    w.WriteStartObject("function");
                    w.WriteString("name", name);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteString("name", name);
                }

                w.WriteEndObject();
                break;
            case RequiredChatToolMode:
                w.WriteStringValue("required");
                break;
            default:
                w.WriteStringValue("auto");
                break;
        }
    }
}
