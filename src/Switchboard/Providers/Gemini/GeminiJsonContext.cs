using System.Text.Json.Serialization;

namespace Switchboard.Providers.Gemini;

/// <summary>Source-generated JSON for the Gemini wire types the adapter reads (camelCase on the wire).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GeminiResponse))]
[JsonSerializable(typeof(GeminiEmbeddingReply))]
[JsonSerializable(typeof(GeminiTokenCount))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
internal sealed partial class GeminiJsonContext : JsonSerializerContext;
