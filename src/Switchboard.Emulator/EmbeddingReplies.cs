using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Switchboard.Emulator;

/// <summary>
/// Deterministic embeddings in each provider's shape. A vector is derived from SHA-256 of the model and the text (value i
/// from block i/8 of a counter-mode hash), then scaled to unit length: the same text always gets the same vector, texts
/// differ, and a shortened vector (<c>dimensions</c>, <c>outputDimensionality</c>) is the full one's prefix, renormalised,
/// as Matryoshka models behave. Validation follows what each API refuses.
/// </summary>
internal static class EmbeddingReplies
{
    private const int MaxOpenAIInputs = 2048;
    private const int MaxGeminiBatch = 100;

    /// <summary>The model's full vector length (what it answers without a requested dimension).</summary>
    public static int DefaultDimensions(string model) => model switch
    {
        _ when model.Contains("3-large", StringComparison.Ordinal) => 3072,
        _ when model.StartsWith("gemini-embedding", StringComparison.Ordinal) => 3072,
        _ when model.StartsWith("text-embedding-004", StringComparison.Ordinal) => 768,
        _ => 1536,
    };

    /// <summary>The unit vector of <paramref name="text"/> for <paramref name="model"/>, <paramref name="dimensions"/> long.</summary>
    public static float[] Vector(string model, string text, int dimensions)
    {
        var seed = Encoding.UTF8.GetBytes(model + "\n" + text);
        var input = new byte[seed.Length + sizeof(int)];
        seed.CopyTo(input, 0);
        var values = new float[dimensions];
        Span<byte> block = stackalloc byte[32];
        for (var i = 0; i < dimensions; i++)
        {
            if (i % 8 == 0)
            {
                BinaryPrimitives.WriteInt32LittleEndian(input.AsSpan(seed.Length), i / 8);
                SHA256.HashData(input, block);
            }

            var raw = BinaryPrimitives.ReadUInt32LittleEndian(block[(i % 8 * 4)..]);
            values[i] = (float)(raw / (double)uint.MaxValue * 2 - 1);
        }

        var norm = (float)Math.Sqrt(values.Sum(v => (double)v * v));
        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= norm;
        }

        return values;
    }

    /// <summary>OpenAI <c>/v1/embeddings</c>: <c>input</c> string, strings or token arrays; <c>encoding_format</c>; <c>dimensions</c> (text-embedding-3 only).</summary>
    public static JsonObject OpenAI(JsonObject body, string model)
    {
        var inputs = body["input"] switch
        {
            JsonValue v when JsonText.Str(v) is { } s => [s],
            JsonArray { Count: > 0 } a when a.All(n => n is JsonValue s && JsonText.Str(s) is not null) => a.Select(n => JsonText.Str(n)!).ToList(),
            JsonArray { Count: > 0 } a when a.All(n => n is JsonValue or JsonArray) => a.Select(n => n!.ToJsonString()).ToList(), // token arrays
            _ => throw new InvalidRequestException("'input' must be a string, an array of strings or an array of token arrays."),
        };
        if (inputs.Count > MaxOpenAIInputs || inputs.Any(i => i.Length == 0))
        {
            throw new InvalidRequestException($"'input' must have 1 to {MaxOpenAIInputs} non-empty items.");
        }

        var format = JsonText.Str(body["encoding_format"]) ?? "float";
        if (format is not ("float" or "base64"))
        {
            throw new InvalidRequestException($"'{format}' is not one of ['float', 'base64'] - 'encoding_format'");
        }

        var dimensions = Dimensions(body["dimensions"], model, "dimensions", supported: model.StartsWith("text-embedding-3", StringComparison.Ordinal));
        var data = new JsonArray();
        var tokens = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = Vector(model, inputs[i], dimensions);
            tokens += EmulatorTokenizer.Count(inputs[i]);
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = format == "base64" ? Base64(vector) : new JsonArray([.. vector.Select(v => (JsonNode?)JsonValue.Create(v))]),
            });
        }

        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        };
    }

    /// <summary>Gemini <c>:embedContent</c>: <c>{content:{parts:[{text}]}, outputDimensionality?}</c> → <c>{embedding:{values}}</c>.</summary>
    public static JsonObject GeminiSingle(JsonObject body, string model) =>
        new() { ["embedding"] = GeminiValues(body, model, "") };

    /// <summary>Gemini <c>:batchEmbedContents</c>: <c>{requests:[{model, content, …}]}</c> → <c>{embeddings:[{values}]}</c>, in order.</summary>
    public static JsonObject GeminiBatch(JsonObject body, string model)
    {
        if (body["requests"] is not JsonArray { Count: > 0 and <= MaxGeminiBatch } requests)
        {
            throw new InvalidRequestException($"* BatchEmbedContentsRequest.requests: must have 1 to {MaxGeminiBatch} requests.");
        }

        var embeddings = new JsonArray();
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i] as JsonObject ?? throw new InvalidRequestException($"* BatchEmbedContentsRequest.requests[{i}]: must be an object.");
            if (JsonText.Str(request["model"]) != "models/" + model)
            {
                throw new InvalidRequestException(
                    $"* BatchEmbedContentsRequest.requests[{i}].model: the model '{JsonText.Str(request["model"])}' must be 'models/{model}', the batch's model.");
            }

            embeddings.Add(GeminiValues(request, model, $"requests[{i}]."));
        }

        return new JsonObject { ["embeddings"] = embeddings };
    }

    private static JsonObject GeminiValues(JsonObject request, string model, string path)
    {
        var parts = request["content"]?["parts"] as JsonArray;
        var text = string.Join("\n", (parts ?? []).Select(p => JsonText.Str(p?["text"])).Where(t => t is not null));
        if (text.Length == 0)
        {
            throw new InvalidRequestException($"* {path}content.parts: must hold text to embed.");
        }

        var dimensions = Dimensions(request["outputDimensionality"], model, path + "outputDimensionality", supported: true);
        return new JsonObject { ["values"] = new JsonArray([.. Vector(model, text, dimensions).Select(v => (JsonNode?)JsonValue.Create(v))]) };
    }

    private static int Dimensions(JsonNode? node, string model, string name, bool supported)
    {
        var full = DefaultDimensions(model);
        if (node is null)
        {
            return full;
        }

        if (!supported)
        {
            throw new InvalidRequestException("This model does not support specifying dimensions.");
        }

        return JsonText.Int(node) is { } n && n >= 1 && n <= full
            ? n
            : throw new InvalidRequestException($"'{name}' must be an integer from 1 to {full} for {model}.");
    }

    private static string Base64(float[] vector)
    {
        var bytes = new byte[vector.Length * sizeof(float)];
        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return Convert.ToBase64String(bytes);
    }
}
