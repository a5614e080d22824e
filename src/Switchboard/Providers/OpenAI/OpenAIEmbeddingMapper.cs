using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers.OpenAI;

/// <summary>The <c>/v1/embeddings</c> wire: the request body from canonical inputs and options, the reply to canonical embeddings. Pure.</summary>
internal static class OpenAIEmbeddingMapper
{
    /// <summary><see cref="EmbeddingGenerationOptions.AdditionalProperties"/> key of OpenAI's <c>user</c> field.</summary>
    public const string UserKey = "user";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // not HTML: keep non-ASCII text compact
    };

    /// <summary>
    /// Writes <c>{"model","input":[…],"dimensions"?,"user"?,"encoding_format"?}</c>. OpenAI and Azure are asked for
    /// <c>base64</c> (a quarter of the bytes of decimal text, as the official SDKs ask); OpenAI-compatible servers get the
    /// default float arrays, which every one of them serves.
    /// </summary>
    public static void ToOpenAI(IBufferWriter<byte> output, IReadOnlyList<string> inputs, string model, EmbeddingGenerationOptions? options,
        OpenAIEndpoint endpoint)
    {
        using var w = new Utf8JsonWriter(output, WriterOptions);
        w.WriteStartObject();
        w.WriteString("model", model);
        w.WriteStartArray("input");
        foreach (var input in inputs)
        {
            w.WriteStringValue(input);
        }

        w.WriteEndArray();
        if (options?.Dimensions is { } dimensions && endpoint.Allows("dimensions"))
        {
            w.WriteNumber("dimensions", dimensions);
        }

        if (options?.AdditionalProperties?.TryGetValue(UserKey, out var user) == true && user is string { Length: > 0 } u && endpoint.Allows(UserKey))
        {
            w.WriteString(UserKey, u);
        }

        if (endpoint.Type != ProviderTypes.OpenAICompatible && endpoint.Allows("encoding_format"))
        {
            w.WriteString("encoding_format", "base64");
        }

        w.WriteEndObject();
        w.Flush();
    }

    /// <summary>The reply as embeddings in input order, with the reported usage; throws on a reply that does not match the request.</summary>
    public static GeneratedEmbeddings<Embedding<float>> FromOpenAI(OpenAIEmbeddingList? reply, int expected, string model, string provider)
    {
        var data = reply?.Data;
        if (data is null || data.Count != expected)
        {
            throw new ProviderException(ProviderErrorKind.MalformedResponse,
                $"{provider} answered {data?.Count ?? 0} embeddings for {expected} inputs.", provider);
        }

        var vectors = new float[expected][];
        foreach (var item in data)
        {
            if (item.Index < 0 || item.Index >= expected || vectors[item.Index] is not null)
            {
                throw new ProviderException(ProviderErrorKind.MalformedResponse, $"{provider} answered an embedding with index {item.Index}.", provider);
            }

            vectors[item.Index] = ReadVector(item.Embedding, provider);
        }

        var modelId = reply!.Model ?? model;
        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = modelId }));
        if (reply.Usage is { } usage)
        {
            result.Usage = new UsageDetails
            {
                InputTokenCount = usage.PromptTokens,
                OutputTokenCount = 0,
                TotalTokenCount = usage.TotalTokens ?? usage.PromptTokens,
            };
        }

        return result;
    }

    /// <summary>A vector sent as a JSON array of numbers or as base64 of little-endian float32 values.</summary>
    internal static float[] ReadVector(JsonElement embedding, string provider)
    {
        switch (embedding.ValueKind)
        {
            case JsonValueKind.Array:
                var values = new float[embedding.GetArrayLength()];
                var i = 0;
                foreach (var value in embedding.EnumerateArray())
                {
                    if (value.ValueKind != JsonValueKind.Number)
                    {
                        break;
                    }

                    values[i++] = value.GetSingle();
                }

                if (i == values.Length)
                {
                    return values;
                }

                break;
            case JsonValueKind.String when embedding.TryGetBytesFromBase64(out var bytes) && bytes.Length % sizeof(float) == 0:
                return DecodeFloats(bytes);
        }

        throw new ProviderException(ProviderErrorKind.MalformedResponse,
            $"{provider} sent an embedding that is neither an array of numbers nor base64 float32 values.", provider);
    }

    /// <summary>Little-endian float32 bytes (OpenAI's base64 payload) to floats.</summary>
    public static float[] DecodeFloats(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }

        return values;
    }
}
