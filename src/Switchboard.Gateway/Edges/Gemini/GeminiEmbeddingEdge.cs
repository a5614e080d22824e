using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Providers.Gemini;

namespace Switchboard.Gateway.Edges.Gemini;

/// <summary>
/// Gemini's <c>:embedContent</c> (<c>{content, taskType?, title?, outputDimensionality?}</c> → <c>{embedding:{values}}</c>)
/// and <c>:batchEmbedContents</c> (<c>{requests:[…]}</c> → <c>{embeddings:[{values}]}</c>, in request order) at the edge.
/// A content's text parts are joined by newlines; other parts are refused. One batch shares its task type and
/// dimensions (they become the request's options); a title is kept only for a single request. Pure.
/// </summary>
internal static class GeminiEmbeddingEdge
{
    private const string ModelPrefix = "models/";
    private static readonly EdgeScope Top = new(EdgeErrorStyle.OpenAI, null);

    /// <summary>An <c>:embedContent</c> body for the model in the path.</summary>
    public static EmbeddingEdgeRequest ParseSingle(ReadOnlyMemory<byte> body, string model)
    {
        using var document = EdgeJson.ParseObject(body, "Invalid JSON payload received.", "The request body must be a JSON object.");
        var (text, item) = Item(document.RootElement, Top, model);
        return new EmbeddingEdgeRequest(model, [text], Options(model, [item]));
    }

    /// <summary>A <c>:batchEmbedContents</c> body for the model in the path.</summary>
    public static EmbeddingEdgeRequest ParseBatch(ReadOnlyMemory<byte> body, string model)
    {
        using var document = EdgeJson.ParseObject(body, "Invalid JSON payload received.", "The request body must be a JSON object.");
        var requests = Top.Expect(Top.Require(document.RootElement, "requests"), "requests", EdgeJsonType.Array);
        var count = requests.GetArrayLength();
        if (count == 0 || count > EmbeddingEdgeRequest.MaxInputs)
        {
            throw Top.Invalid("requests", $"must have 1 to {EmbeddingEdgeRequest.MaxInputs} items (got {count}).");
        }

        var texts = new List<string>(count);
        var items = new List<ItemOptions>(count);
        var scope = Top.At("requests");
        var i = 0;
        foreach (var request in requests.EnumerateArray())
        {
            var at = scope.At(i++);
            at.Self(request, EdgeJsonType.Object);
            var (text, item) = Item(request, at, model);
            texts.Add(text);
            items.Add(item);
        }

        return new EmbeddingEdgeRequest(model, texts, Options(model, items));
    }

    private readonly record struct ItemOptions(string? TaskType, string? Title, long? Dimensions);

    private static (string Text, ItemOptions Options) Item(JsonElement request, EdgeScope scope, string model)
    {
        if (scope.String(request, "model") is { } named && !SameModel(named, model))
        {
            throw scope.Invalid("model", $"'{named}' does not match the model in the URL ('models/{model}').");
        }

        var content = scope.Expect(scope.Require(request, "content"), "content", EdgeJsonType.Object);
        var at = scope.At("content");
        var parts = at.Expect(at.Require(content, "parts"), "parts", EdgeJsonType.Array);
        var text = new StringBuilder();
        var index = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var partScope = at.At("parts").At(index++);
            partScope.Self(part, EdgeJsonType.Object);
            var piece = partScope.String(part, "text") ?? throw partScope.Invalid("text",
                "is required: only text parts can be embedded through this gateway.");
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(piece);
        }

        if (text.Length == 0)
        {
            throw at.Invalid("parts", "must hold some text to embed.");
        }

        return (text.ToString(), new ItemOptions(scope.String(request, "taskType"), scope.String(request, "title"),
            scope.Integer(request, "outputDimensionality", min: 1, max: 65536)));
    }

    private static bool SameModel(string named, string model) =>
        string.Equals(named.StartsWith(ModelPrefix, StringComparison.Ordinal) ? named[ModelPrefix.Length..] : named, model, StringComparison.Ordinal);

    private static EmbeddingGenerationOptions Options(string model, IReadOnlyList<ItemOptions> items)
    {
        var first = items[0];
        if (items.Any(i => i.TaskType != first.TaskType || i.Dimensions != first.Dimensions))
        {
            throw Top.Invalid("requests", "must share one taskType and one outputDimensionality in a batch sent through this gateway.");
        }

        var options = new EmbeddingGenerationOptions { ModelId = model, Dimensions = first.Dimensions is { } d ? (int)d : null };
        if (first.TaskType is { } taskType)
        {
            (options.AdditionalProperties ??= [])[GeminiEmbeddingMapper.TaskTypeKey] = taskType;
        }

        if (items.Count == 1 && first.Title is { } title)
        {
            (options.AdditionalProperties ??= [])[GeminiEmbeddingMapper.TitleKey] = title;
        }

        return options;
    }

    /// <summary><c>{"embedding":{"values":[…]}}</c>.</summary>
    public static byte[] WriteSingle(GeneratedEmbeddings<Embedding<float>> embeddings) =>
        EdgeJsonWriter.Build(embeddings, static (w, e) =>
        {
            w.WriteStartObject();
            w.WritePropertyName("embedding");
            WriteValues(w, e[0]);
            w.WriteEndObject();
        });

    /// <summary><c>{"embeddings":[{"values":[…]}]}</c>, in request order.</summary>
    public static byte[] WriteBatch(GeneratedEmbeddings<Embedding<float>> embeddings) =>
        EdgeJsonWriter.Build(embeddings, static (w, e) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("embeddings");
            foreach (var embedding in e)
            {
                WriteValues(w, embedding);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });

    private static void WriteValues(Utf8JsonWriter w, Embedding<float> embedding)
    {
        w.WriteStartObject();
        w.WriteStartArray("values");
        foreach (var value in embedding.Vector.Span)
        {
            w.WriteNumberValue(value);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
