using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.AI;

namespace Switchboard.Embeddings;

/// <summary>
/// A stored embeddings answer as the bytes the response cache keeps: who produced it, when, at what cost, its usage and
/// the vectors as little-endian float32. Binary rather than JSON: a 1536-float vector is 6 KiB here and ~20 KiB as text.
/// </summary>
internal sealed record EmbeddingCacheEntry(string? Provider, string? Model, DateTimeOffset StoredAt, decimal? CostUsd, long InputTokens,
    IReadOnlyList<ReadOnlyMemory<float>> Vectors)
{
    private const byte Version = 1;

    /// <summary>The payload size of <paramref name="vectors"/> (what the size limit is checked against).</summary>
    public static long PayloadBytes(IEnumerable<Embedding<float>> vectors) => vectors.Sum(v => (long)v.Vector.Length * sizeof(float));

    public byte[] Encode()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            w.Write(Provider ?? "");
            w.Write(Model ?? "");
            w.Write(StoredAt.ToUnixTimeMilliseconds());
            w.Write(CostUsd.HasValue);
            w.Write(CostUsd ?? 0m);
            w.Write(InputTokens);
            w.Write(Vectors.Count);
            Span<byte> four = stackalloc byte[sizeof(float)];
            foreach (var vector in Vectors)
            {
                w.Write(vector.Length);
                foreach (var value in vector.Span)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(four, value);
                    w.Write(four);
                }
            }
        }

        return stream.ToArray();
    }

    /// <summary>The entry in <paramref name="bytes"/>, or null when they are not one (another version, or damaged).</summary>
    public static EmbeddingCacheEntry? Decode(byte[] bytes)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            if (r.ReadByte() != Version)
            {
                return null;
            }

            var provider = r.ReadString();
            var model = r.ReadString();
            var storedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.ReadInt64());
            var hasCost = r.ReadBoolean();
            var cost = r.ReadDecimal();
            var tokens = r.ReadInt64();
            var count = r.ReadInt32();
            var vectors = new List<ReadOnlyMemory<float>>(count);
            for (var i = 0; i < count; i++)
            {
                var length = r.ReadInt32();
                var raw = r.ReadBytes(length * sizeof(float));
                if (raw.Length != length * sizeof(float))
                {
                    return null;
                }

                vectors.Add(Providers.OpenAI.OpenAIEmbeddingMapper.DecodeFloats(raw));
            }

            return new EmbeddingCacheEntry(provider.Length == 0 ? null : provider, model.Length == 0 ? null : model, storedAt,
                hasCost ? cost : null, tokens, vectors);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ArgumentException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The stored answer as embeddings, with the usage it had when produced.</summary>
    public GeneratedEmbeddings<Embedding<float>> ToEmbeddings() => new(Vectors.Select(v => new Embedding<float>(v) { ModelId = Model }))
    {
        Usage = new UsageDetails { InputTokenCount = InputTokens, OutputTokenCount = 0, TotalTokenCount = InputTokens },
    };
}
