namespace Switchboard.Providers.Gemini;

/// <summary>Wire shape of a <c>:batchEmbedContents</c> reply: <c>{"embeddings":[{"values":[…]}]}</c>, in request order.</summary>
internal sealed class GeminiEmbeddingReply
{
    public List<GeminiEmbeddingValues>? Embeddings { get; init; }
}

/// <summary>One <c>ContentEmbedding</c>.</summary>
internal sealed class GeminiEmbeddingValues
{
    public float[]? Values { get; init; }
}
