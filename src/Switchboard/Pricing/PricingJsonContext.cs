using System.Text.Json.Serialization;

namespace Switchboard.Pricing;

internal sealed record CatalogFile(IReadOnlyList<ModelInfo> Models, IReadOnlyDictionary<string, IReadOnlyList<string>>? Routes,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? EmbeddingRoutes = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(CatalogFile))]
internal sealed partial class PricingJsonContext : JsonSerializerContext;
