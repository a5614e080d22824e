using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Providers.Gemini;

/// <summary>Writes a <c>generateContent</c> request body from the canonical messages and options. Pure.</summary>
/// <remarks>
/// Schemas go in the fields that take standard JSON Schema, <c>parametersJsonSchema</c> and <c>responseJsonSchema</c>:
/// <c>parameters</c> / <c>responseSchema</c> take only Google's OpenAPI subset, which rejects what
/// Microsoft.Extensions.AI generates for nullable or constrained types.
/// </remarks>
internal static class GeminiRequestMapper
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // not HTML: keep non-ASCII text compact
    };

    /// <summary>Writes the request JSON to <paramref name="output"/> (the model goes in the URL, not the body). With
    /// <paramref name="omitSampling"/>, temperature, topP and topK are left out (models that reject them).</summary>
    public static void ToGemini(IBufferWriter<byte> output, IEnumerable<ChatMessage> messages, ChatOptions? options, string provider,
        bool omitSampling = false)
    {
        using var w = new Utf8JsonWriter(output, WriterOptions);
        w.WriteStartObject();
        GeminiContentWriter.Write(w, messages, options?.Instructions, provider);
        if (options is not null)
        {
            WriteGenerationConfig(w, options, omitSampling);
            WriteTools(w, options);
        }

        w.WriteEndObject();
        w.Flush();
    }

    /// <summary>
    /// Writes a <c>:countTokens</c> body that counts the whole request (system instruction, tools and config included):
    /// <c>{"generateContentRequest": {"model": "models/M", ...the generateContent body}}</c>.
    /// </summary>
    public static void ToCountTokens(IBufferWriter<byte> output, IEnumerable<ChatMessage> messages, ChatOptions? options, string provider,
        string model, bool omitSampling = false)
    {
        var inner = new ArrayBufferWriter<byte>(2048);
        ToGemini(inner, messages, options, provider, omitSampling);
        using var document = JsonDocument.Parse(inner.WrittenMemory);
        using var w = new Utf8JsonWriter(output, WriterOptions);
        w.WriteStartObject();
        w.WriteStartObject("generateContentRequest");
        w.WriteString("model", "models/" + model);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            property.WriteTo(w);
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
    }

    private static void WriteGenerationConfig(Utf8JsonWriter w, ChatOptions o, bool omitSampling)
    {
        var json = o.ResponseFormat as ChatResponseFormatJson;
        var sampling = !omitSampling && (o.Temperature is not null || o.TopP is not null || o.TopK is not null);
        var sentThinking = o.AdditionalProperties?.TryGetValue(Chat.PassThroughKeys.GeminiThinkingConfig, out var raw) == true
            && raw is JsonElement { ValueKind: JsonValueKind.Object } element ? element : (JsonElement?)null;
        var effort = sentThinking is null ? o.Reasoning?.Effort : null;
        if (!sampling && o.MaxOutputTokens is null && o.StopSequences is not { Count: > 0 } && o.Seed is null &&
            o.FrequencyPenalty is null && o.PresencePenalty is null && json is null && sentThinking is null && effort is null)
        {
            return;
        }

        w.WriteStartObject("generationConfig");
        if (!omitSampling)
        {
            WriteNumber(w, "temperature", o.Temperature);
            WriteNumber(w, "topP", o.TopP);
            if (o.TopK is int topK)
            {
                w.WriteNumber("topK", topK);
            }
        }

        if (o.MaxOutputTokens is int max)
        {
            w.WriteNumber("maxOutputTokens", max);
        }

        if (o.StopSequences is { Count: > 0 } stops)
        {
            w.WriteStartArray("stopSequences");
            foreach (var stop in stops)
            {
                w.WriteStringValue(stop);
            }

            w.WriteEndArray();
        }

        if (o.Seed is long seed)
        {
            w.WriteNumber("seed", seed);
        }

        WriteNumber(w, "presencePenalty", o.PresencePenalty);
        WriteNumber(w, "frequencyPenalty", o.FrequencyPenalty);
        if (json is not null)
        {
            w.WriteString("responseMimeType", "application/json");
            if (json.Schema is { ValueKind: JsonValueKind.Object } schema)
            {
                w.WritePropertyName("responseJsonSchema");
                schema.WriteTo(w);
            }
        }

        if (sentThinking is { } sent)
        {
            w.WritePropertyName("thinkingConfig"); // a Gemini client's own, as sent
            sent.WriteTo(w);
        }
        else if (effort is { } e)
        {
            WriteThinking(w, e, o.ModelId);
        }

        w.WriteEndObject();
    }

    // The canonical effort as Gemini's thinking setting: a budget for Gemini 1.x/2.x models, a level for later ones
    // (Gemini 3 takes levels; a budget there is discouraged). ReasoningEfforts holds the table.
    private const int ProMinimumBudget = 128;

    private static void WriteThinking(Utf8JsonWriter w, ReasoningEffort effort, string? model)
    {
        w.WriteStartObject("thinkingConfig");
        if (model is not null && (model.StartsWith("gemini-1", StringComparison.OrdinalIgnoreCase) || model.StartsWith("gemini-2", StringComparison.OrdinalIgnoreCase)))
        {
            // 2.5 Pro cannot turn thinking off: none is its smallest budget there.
            var off = effort == ReasoningEffort.None && model.Contains("-pro", StringComparison.OrdinalIgnoreCase);
            w.WriteNumber("thinkingBudget", off ? ProMinimumBudget : Chat.ReasoningEfforts.BudgetTokens(effort));
        }
        else
        {
            w.WriteString("thinkingLevel", Chat.ReasoningEfforts.GeminiLevel(effort));
        }

        w.WriteEndObject();
    }

    private static void WriteTools(Utf8JsonWriter w, ChatOptions o)
    {
        var functions = o.Tools?.OfType<AIFunctionDeclaration>().ToList();
        if (functions is not { Count: > 0 })
        {
            return;
        }

        w.WriteStartArray("tools");
        w.WriteStartObject();
        w.WriteStartArray("functionDeclarations");
        foreach (var f in functions)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            if (!string.IsNullOrEmpty(f.Description))
            {
                w.WriteString("description", f.Description);
            }

            if (f.JsonSchema.ValueKind == JsonValueKind.Object)
            {
                w.WritePropertyName("parametersJsonSchema");
                f.JsonSchema.WriteTo(w);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();

        if (o.ToolMode is not { } mode)
        {
            return;
        }

        w.WriteStartObject("toolConfig");
        w.WriteStartObject("functionCallingConfig");
        switch (mode)
        {
            case NoneChatToolMode:
                w.WriteString("mode", "NONE");
                break;
            case RequiredChatToolMode required:
                w.WriteString("mode", "ANY");
                if (required.RequiredFunctionName is { } name)
                {
                    w.WriteStartArray("allowedFunctionNames");
                    w.WriteStringValue(name);
                    w.WriteEndArray();
                }

                break;
            default:
                w.WriteString("mode", "AUTO");
                break;
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, float? value)
    {
        if (value is float v)
        {
            w.WriteNumber(name, (decimal)v); // decimal keeps 0.2f as 0.2 on the wire
        }
    }
}
