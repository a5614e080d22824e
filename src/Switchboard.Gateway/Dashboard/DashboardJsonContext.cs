using System.Text.Json.Serialization;

namespace Switchboard.Gateway.Dashboard;

/// <summary>Source-generated JSON for the dashboard's own admin documents.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<RecentRequest>))]
[JsonSerializable(typeof(ProviderSeries))]
[JsonSerializable(typeof(IReadOnlyList<CircuitChange>))]
[JsonSerializable(typeof(IReadOnlyList<DashboardRoute>))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
