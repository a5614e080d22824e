using System.Text.Json;

namespace Switchboard.Providers.OpenAI;

/// <summary>Wire shape of a <c>POST /v1/embeddings</c> reply: <c>{"object":"list","data":[…],"model","usage"}</c>.</summary>
internal sealed class OpenAIEmbeddingList
{
    public List<OpenAIEmbeddingItem>? Data { get; init; }
    public string? Model { get; init; }
    public OpenAIUsage? Usage { get; init; }
}

/// <summary>One <c>data[]</c> entry: its input's <c>index</c> and the vector as a float array or a base64 string.</summary>
internal sealed class OpenAIEmbeddingItem
{
    public int Index { get; init; }
    public JsonElement Embedding { get; init; }
}
