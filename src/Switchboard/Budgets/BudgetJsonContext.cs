using System.Text.Json.Serialization;

namespace Switchboard.Budgets;

/// <summary>Source-generated JSON for cost alert webhooks.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BudgetAlert))]
internal sealed partial class BudgetJsonContext : JsonSerializerContext;
