using System.Text.Json;
using Microsoft.Extensions.AI;

using Switchboard.Chat;

namespace Switchboard.Caching;

/// <summary>Writes the output-affecting part of <see cref="ChatOptions"/> into a <see cref="ResponseCacheKey"/>'s canonical form.</summary>
internal static class CacheKeyOptionsWriter
{

    public static bool Write(Utf8JsonWriter writer, ChatOptions? options)
    {
        if (options is null)
        {
            return true;
        }

        if (options.ConversationId is not null || options.ContinuationToken is not null || options.AllowBackgroundResponses == true
            || options.RawRepresentationFactory is not null)
        {
            return false; // the answer depends on state the key cannot see
        }

        writer.WriteString("instructions", options.Instructions);
        WriteNumber(writer, "temperature", options.Temperature);
        WriteNumber(writer, "top_p", options.TopP);
        WriteNumber(writer, "top_k", options.TopK);
        WriteNumber(writer, "max_output_tokens", options.MaxOutputTokens);
        WriteNumber(writer, "frequency_penalty", options.FrequencyPenalty);
        WriteNumber(writer, "presence_penalty", options.PresencePenalty);
        WriteNumber(writer, "seed", options.Seed);
        if (options.StopSequences is { } stops)
        {
            writer.WriteStartArray("stop");
            foreach (var stop in stops)
            {
                writer.WriteStringValue(stop);
            }

            writer.WriteEndArray();
        }

        if (options.Reasoning is { } reasoning)
        {
            writer.WriteString("reasoning_effort", reasoning.Effort?.ToString());
            writer.WriteString("reasoning_output", reasoning.Output?.ToString());
        }

        if (options.AllowMultipleToolCalls is { } multiple)
        {
            writer.WriteBoolean("parallel_tool_calls", multiple);
        }

        return WriteResponseFormat(writer, options.ResponseFormat) && WriteTools(writer, options) && WriteAdditional(writer, options.AdditionalProperties);
    }

    private static bool WriteResponseFormat(Utf8JsonWriter writer, ChatResponseFormat? format)
    {
        switch (format)
        {
            case null:
                return true;
            case ChatResponseFormatText:
                writer.WriteString("response_format", "text");
                return true;
            case ChatResponseFormatJson json:
                writer.WriteStartObject("response_format");
                writer.WriteString("type", "json");
                writer.WriteString("name", json.SchemaName);
                writer.WriteString("description", json.SchemaDescription);
                if (json.Schema is { } schema)
                {
                    writer.WritePropertyName("schema");
                    CanonicalJson.Write(writer, schema);
                }

                writer.WriteEndObject();
                return true;
            default:
                return false;
        }
    }

    private static bool WriteTools(Utf8JsonWriter writer, ChatOptions options)
    {
        switch (options.ToolMode)
        {
            case null:
                break;
            case AutoChatToolMode:
                writer.WriteString("tool_mode", "auto");
                break;
            case NoneChatToolMode:
                writer.WriteString("tool_mode", "none");
                break;
            case RequiredChatToolMode required:
                writer.WriteString("tool_mode", "required:" + required.RequiredFunctionName);
                break;
            default:
                return false;
        }

        if (options.Tools is not { Count: > 0 } tools)
        {
            return true;
        }

        writer.WriteStartArray("tools");
        foreach (var tool in tools)
        {
            if (tool is not AIFunctionDeclaration function)
            {
                return false; // hosted tools answer from state outside the request
            }

            writer.WriteStartObject();
            writer.WriteString("name", function.Name);
            writer.WriteString("description", function.Description);
            writer.WritePropertyName("schema");
            CanonicalJson.Write(writer, function.JsonSchema);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        return true;
    }

    private static bool WriteAdditional(Utf8JsonWriter writer, AdditionalPropertiesDictionary? properties)
    {
        if (properties is not { Count: > 0 })
        {
            return true;
        }

        var keys = new List<string>(properties.Count);
        foreach (var (name, _) in properties)
        {
            // The request's own state (id, caller, hints) is not part of the question; the client's pass-through wire
            // fields (Anthropic fields and betas included) are, since they change the answer.
            if (!string.Equals(name, SwitchboardContext.Key, StringComparison.Ordinal))
            {
                keys.Add(name);
            }
        }

        if (keys.Count == 0)
        {
            return true;
        }

        keys.Sort(StringComparer.Ordinal);
        writer.WriteStartObject("additional");
        foreach (var name in keys)
        {
            writer.WritePropertyName(name);
            if (!CanonicalJson.TryWritePrimitive(writer, properties[name]))
            {
                return false; // an in-process object of unknown meaning
            }
        }

        writer.WriteEndObject();
        return true;
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, float? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }
}
