using Microsoft.Extensions.AI;
using Switchboard.Embeddings;

namespace Switchboard.Tests.Embeddings;

/// <summary>The embeddings cache's key (what decides a vector, and nothing else) and its stored entry.</summary>
public sealed class EmbeddingCacheTests
{
    private static string Key(string[] inputs, string model = "m", int? dimensions = null, string? tenant = "t", string? shared = null,
        string? taskType = null) =>
        EmbeddingCacheKey.Compute(inputs, new EmbeddingGenerationOptions
        {
            ModelId = model,
            Dimensions = dimensions,
            AdditionalProperties = taskType is null ? null : new() { ["taskType"] = taskType },
        }, tenant, shared);

    [Fact]
    public void Key_ChangesWithWhatDecidesTheVectors_AndOnlyThat()
    {
        var key = Key(["a", "b"]);
        Assert.StartsWith(EmbeddingCacheKey.Prefix, key, StringComparison.Ordinal);
        Assert.Equal(key, Key(["a", "b"]));
        Assert.NotEqual(key, Key(["b", "a"]));
        Assert.NotEqual(key, Key(["ab"]));
        Assert.NotEqual(Key(["a,b"]), Key(["a", "b"]));
        Assert.NotEqual(key, Key(["a", "b"], model: "n"));
        Assert.NotEqual(key, Key(["a", "b"], dimensions: 256));
        Assert.NotEqual(key, Key(["a", "b"], taskType: "RETRIEVAL_QUERY"));
        Assert.NotEqual(key, Key(["a", "b"], tenant: "other"));
        Assert.Equal(Key(["a"], tenant: "x", shared: "ns"), Key(["a"], tenant: "y", shared: "ns"));
        var user = EmbeddingCacheKey.Compute(["a", "b"], new EmbeddingGenerationOptions { ModelId = "m", AdditionalProperties = new() { ["user"] = "u" } }, "t", null);
        Assert.Equal(key, user);
    }

    [Fact]
    public void Entry_RoundTrips_AndDamagedBytesAreNoEntry()
    {
        var entry = new EmbeddingCacheEntry("gemini", "gemini-embedding-001", DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_000), 0.0000015m, 10,
            [new float[] { 1f, -0.5f, float.Epsilon }, new float[] { 0.25f }]);
        var bytes = entry.Encode();
        var back = EmbeddingCacheEntry.Decode(bytes);
        Assert.NotNull(back);
        Assert.Equal(entry.Provider, back.Provider);
        Assert.Equal(entry.Model, back.Model);
        Assert.Equal(entry.StoredAt, back.StoredAt);
        Assert.Equal(entry.CostUsd, back.CostUsd);
        Assert.Equal([1f, -0.5f, float.Epsilon], back.Vectors[0].ToArray());
        Assert.Equal([0.25f], back.Vectors[1].ToArray());
        var embeddings = back.ToEmbeddings();
        Assert.Equal(10, embeddings.Usage?.InputTokenCount);
        Assert.Equal("gemini-embedding-001", embeddings[0].ModelId);

        Assert.Null(EmbeddingCacheEntry.Decode(bytes[..^3]));
        Assert.Null(EmbeddingCacheEntry.Decode([9, 1, 2]));
    }
}
