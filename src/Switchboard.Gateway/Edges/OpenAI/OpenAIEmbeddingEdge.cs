using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Gateway.Edges.OpenAI;

/// <summary>
/// OpenAI's <c>POST /v1/embeddings</c> at the edge: the body (<c>input</c> a string or an array of strings, <c>model</c>,
/// <c>encoding_format</c> float or base64, <c>dimensions</c>, <c>user</c>) to an <see cref="EmbeddingEdgeRequest"/>, and
/// embeddings back to the <c>list</c> reply. Token-array inputs are refused: they are token ids of the model's own
/// tokenizer, which another provider cannot read. Pure.
/// </summary>
internal static class OpenAIEmbeddingEdge
{
    private static readonly EdgeScope Top = new(EdgeErrorStyle.OpenAI, null);

    public static EmbeddingEdgeRequest Parse(ReadOnlyMemory<byte> body)
    {
        using var document = EdgeJson.ParseObject(body, "We could not parse the JSON body of your request.", "The request body must be a JSON object.");
        var root = document.RootElement;
        var model = Top.RequiredString(root, "model");
        var inputs = Inputs(Top.Require(root, "input"));
        var options = new EmbeddingGenerationOptions { ModelId = model };
        if (Top.Integer(root, "dimensions", min: 1, max: 65536) is { } dimensions)
        {
            options.Dimensions = (int)dimensions;
        }

        if (Top.String(root, "user") is { Length: > 0 } user)
        {
            (options.AdditionalProperties ??= [])[OpenAIEmbeddingMapper.UserKey] = user;
        }

        var base64 = Top.String(root, "encoding_format") switch
        {
            null or "float" => false,
            "base64" => true,
            var other => throw Top.Invalid("encoding_format", $"must be 'float' or 'base64', not '{other}'."),
        };
        return new EmbeddingEdgeRequest(model, inputs, options, base64);
    }

    private static List<string> Inputs(JsonElement input)
    {
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                var text = input.GetString()!;
                return text.Length > 0 ? [text] : throw Top.Invalid("input", "must not be an empty string.");
            case JsonValueKind.Array:
                var count = input.GetArrayLength();
                if (count == 0)
                {
                    throw Top.Invalid("input", "must not be an empty array.");
                }

                if (count > EmbeddingEdgeRequest.MaxInputs)
                {
                    throw Top.Invalid("input", $"must have at most {EmbeddingEdgeRequest.MaxInputs} items (got {count}).");
                }

                var list = new List<string>(count);
                var i = 0;
                foreach (var item in input.EnumerateArray())
                {
                    list.Add(item.ValueKind switch
                    {
                        JsonValueKind.String when item.GetString() is { Length: > 0 } s => s,
                        JsonValueKind.String => throw Top.Invalid($"input[{i}]", "must not be an empty string."),
                        JsonValueKind.Number or JsonValueKind.Array => throw TokenArrays(),
                        _ => throw Top.Invalid($"input[{i}]", "must be a string."),
                    });
                    i++;
                }

                return list;
            default:
                throw Top.Invalid("input", "must be a string or an array of strings.");
        }
    }

    private static EdgeRequestException TokenArrays() => new(
        "'input' as token arrays is not supported by this gateway: token ids belong to one model's tokenizer and cannot be routed " +
        "to another provider. Send the text instead.", "input")
    { Code = "unsupported_input" };

    /// <summary>
    /// <c>{"object":"list","data":[{"object":"embedding","index","embedding"}],"model","usage":{"prompt_tokens","total_tokens"}}</c>;
    /// with <paramref name="base64"/>, each vector is base64 of its little-endian float32 values (what the SDKs decode).
    /// </summary>
    public static byte[] Write(GeneratedEmbeddings<Embedding<float>> embeddings, string model, bool base64) =>
        EdgeJsonWriter.Build((embeddings, model, base64), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            var index = 0;
            byte[]? bytes = null;
            foreach (var embedding in s.embeddings)
            {
                w.WriteStartObject();
                w.WriteString("object", "embedding");
                w.WriteNumber("index", index++);
                var vector = embedding.Vector.Span;
                if (s.base64)
                {
                    var length = vector.Length * sizeof(float);
                    if (bytes is null || bytes.Length != length)
                    {
                        bytes = new byte[length];
                    }

                    for (var i = 0; i < vector.Length; i++)
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
                    }

                    w.WriteBase64String("embedding", bytes);
                }
                else
                {
                    w.WriteStartArray("embedding");
                    foreach (var value in vector)
                    {
                        w.WriteNumberValue(value);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("model", s.embeddings.Count > 0 ? s.embeddings[0].ModelId ?? s.model : s.model);
            var tokens = s.embeddings.Usage?.InputTokenCount ?? 0;
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", tokens);
            w.WriteNumber("total_tokens", s.embeddings.Usage?.TotalTokenCount ?? tokens);
            w.WriteEndObject();
            w.WriteEndObject();
        });
}
