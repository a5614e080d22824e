using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;

namespace Switchboard.Caching;

/// <summary>HybridCache's serializer for <see cref="CachedChatResponse"/>, through the source-generated context.</summary>
internal sealed class CachedChatResponseSerializer : IHybridCacheSerializer<CachedChatResponse>
{
    public CachedChatResponse Deserialize(ReadOnlySequence<byte> source)
    {
        var reader = new Utf8JsonReader(source);
        return JsonSerializer.Deserialize(ref reader, CachingJsonContext.Default.CachedChatResponse)
            ?? throw new JsonException("A cached response entry was empty.");
    }

    public void Serialize(CachedChatResponse value, IBufferWriter<byte> target)
    {
        using var writer = new Utf8JsonWriter(target);
        JsonSerializer.Serialize(writer, value, CachingJsonContext.Default.CachedChatResponse);
    }
}
