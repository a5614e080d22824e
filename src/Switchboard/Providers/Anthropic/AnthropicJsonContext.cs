using System.Text.Json.Serialization;

namespace Switchboard.Providers.Anthropic;

/// <summary>Source-generated JSON for the Anthropic wire types the adapter reads (snake_case on the wire).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AnthropicMessage))]
[JsonSerializable(typeof(AnthropicStreamEvent))]
[JsonSerializable(typeof(AnthropicTokenCount))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
internal sealed partial class AnthropicJsonContext : JsonSerializerContext;
