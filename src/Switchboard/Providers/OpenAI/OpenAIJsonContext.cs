using System.Text.Json.Serialization;

namespace Switchboard.Providers.OpenAI;

/// <summary>Source-generated JSON for the OpenAI wire types the adapter reads.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OpenAIChatCompletion))]
[JsonSerializable(typeof(OpenAIEmbeddingList))]
[JsonSerializable(typeof(OpenAIResponsesResponse))]
[JsonSerializable(typeof(OpenAIResponsesEvent))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
internal sealed partial class OpenAIJsonContext : JsonSerializerContext;
