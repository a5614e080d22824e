using System.Text.Json.Serialization;

namespace Switchboard.Caching;

/// <summary>Source-generated JSON for cache entries (no reflection on the hot path).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CachedChatResponse))]
internal sealed partial class CachingJsonContext : JsonSerializerContext;
