using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges;

/// <summary>An embeddings request as an edge parsed it: the model, the texts in order, and the canonical options.</summary>
/// <param name="Model">The requested model or route (null when the body named none).</param>
/// <param name="Inputs">The texts to embed, in the client's order.</param>
/// <param name="Options">Dimensions and provider fields (<c>user</c>, Gemini's <c>taskType</c> / <c>title</c>).</param>
/// <param name="Base64">Whether the client asked for base64 vectors (OpenAI <c>encoding_format</c>).</param>
internal sealed record EmbeddingEdgeRequest(string? Model, IReadOnlyList<string> Inputs, EmbeddingGenerationOptions Options, bool Base64 = false)
{
    /// <summary>The most inputs one request may carry (OpenAI's limit; Gemini calls are split in batches of 100 upstream).</summary>
    public const int MaxInputs = 2048;
}
