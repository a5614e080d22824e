using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers.Gemini;

/// <summary>The <c>:batchEmbedContents</c> wire: the request body from canonical inputs and options, the reply to canonical embeddings. Pure.</summary>
internal static class GeminiEmbeddingMapper
{
    /// <summary><see cref="EmbeddingGenerationOptions.AdditionalProperties"/> key of Gemini's <c>taskType</c> (a Gemini upstream only).</summary>
    public const string TaskTypeKey = "taskType";

    /// <summary><see cref="EmbeddingGenerationOptions.AdditionalProperties"/> key of Gemini's <c>title</c> (a Gemini upstream only).</summary>
    public const string TitleKey = "title";

    /// <summary>The most requests Gemini takes in one <c>:batchEmbedContents</c> call.</summary>
    public const int MaxBatch = 100;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // not HTML: keep non-ASCII text compact
    };

    /// <summary>Writes <c>{"requests":[{"model":"models/…","content":{"parts":[{"text"}]},"taskType"?,"title"?,"outputDimensionality"?}]}</c>.</summary>
    public static void ToGemini(IBufferWriter<byte> output, IEnumerable<string> inputs, string model, EmbeddingGenerationOptions? options)
    {
        var extra = options?.AdditionalProperties;
        var taskType = extra?.TryGetValue(TaskTypeKey, out var t) == true ? t as string : null;
        var title = extra?.TryGetValue(TitleKey, out var ti) == true ? ti as string : null;
        var qualified = "models/" + model;
        using var w = new Utf8JsonWriter(output, WriterOptions);
        w.WriteStartObject();
        w.WriteStartArray("requests");
        foreach (var input in inputs)
        {
            w.WriteStartObject();
            w.WriteString("model", qualified);
            w.WriteStartObject("content");
            w.WriteStartArray("parts");
            w.WriteStartObject();
            w.WriteString("text", input);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            if (taskType is not null)
            {
                w.WriteString("taskType", taskType);
            }

            if (title is not null)
            {
                w.WriteString("title", title);
            }

            if (options?.Dimensions is { } dimensions)
            {
                w.WriteNumber("outputDimensionality", dimensions);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
    }

    /// <summary>The reply's vectors in request order; throws when their count does not match the request.</summary>
    public static IReadOnlyList<float[]> FromGemini(GeminiEmbeddingReply? reply, int expected, string provider)
    {
        var embeddings = reply?.Embeddings;
        if (embeddings is null || embeddings.Count != expected || embeddings.Any(e => e.Values is not { Length: > 0 }))
        {
            throw new ProviderException(ProviderErrorKind.MalformedResponse,
                $"{provider} answered {embeddings?.Count ?? 0} embeddings for {expected} inputs, or an empty one.", provider);
        }

        return [.. embeddings.Select(e => e.Values!)];
    }
}
