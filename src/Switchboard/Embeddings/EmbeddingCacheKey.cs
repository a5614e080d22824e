using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using Switchboard.Providers.Gemini;

namespace Switchboard.Embeddings;

/// <summary>
/// The embeddings cache key: SHA-256 over what decides the vectors (requested route or model, dimensions, Gemini's
/// task type and title, every input in order) and the tenant or shared namespace. Pure. OpenAI's <c>user</c> is left
/// out (it does not change a vector); so is the encoding, which the edge applies to the stored floats.
/// </summary>
internal static class EmbeddingCacheKey
{
    /// <summary>Prefix of every key (before the hex digest); bump the version when the canonical form or the entry changes.</summary>
    public const string Prefix = "emb:v1:";

    public static string Compute(IReadOnlyList<string> inputs, EmbeddingGenerationOptions? options, string? tenant, string? sharedNamespace)
    {
        var text = new StringBuilder(256);
        Field(text, string.IsNullOrEmpty(sharedNamespace) ? "t:" + tenant : "n:" + sharedNamespace);
        Field(text, options?.ModelId);
        Field(text, options?.Dimensions?.ToString(CultureInfo.InvariantCulture));
        Field(text, Extra(options, GeminiEmbeddingMapper.TaskTypeKey));
        Field(text, Extra(options, GeminiEmbeddingMapper.TitleKey));
        text.Append(inputs.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(text.ToString()));
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            foreach (var input in inputs)
            {
                // Length-prefixed: no choice of inputs can make two different lists hash the same text.
                hash.AppendData(Encoding.UTF8.GetBytes(input.Length.ToString(CultureInfo.InvariantCulture) + ":"));
                if (Encoding.UTF8.GetMaxByteCount(input.Length) <= buffer.Length)
                {
                    hash.AppendData(buffer, 0, Encoding.UTF8.GetBytes(input, buffer));
                }
                else
                {
                    hash.AppendData(Encoding.UTF8.GetBytes(input));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Prefix + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string? Extra(EmbeddingGenerationOptions? options, string key) =>
        options?.AdditionalProperties?.TryGetValue(key, out var value) == true ? value as string : null;

    // Each field length-prefixed (absent is -1), so adjacent fields cannot run into each other.
    private static void Field(StringBuilder text, string? value) =>
        text.Append(value is null ? "-1" : value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');
}
