using System.Text.Json.Serialization;

namespace Switchboard.Ledger;

/// <summary>Source-generated JSON for the journal's lines and the usage report.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(LedgerRecord))]
[JsonSerializable(typeof(UsageReport))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;
