using System.Text.Json.Serialization;
using Switchboard.Gateway.Auth;
using Switchboard.Resilience;

namespace Switchboard.Gateway;

/// <summary>Source-generated JSON for the gateway's own (non-provider) documents.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(CreatedKey))]
[JsonSerializable(typeof(VirtualKey))]
[JsonSerializable(typeof(IReadOnlyList<VirtualKey>))]
[JsonSerializable(typeof(IReadOnlyList<DeploymentHealth>))]
[JsonSerializable(typeof(Endpoints.ModelList))]
[JsonSerializable(typeof(Endpoints.ModelEntry))]
[JsonSerializable(typeof(Endpoints.ChatStreamRequest))]
[JsonSerializable(typeof(Endpoints.ReadinessStatus))]
[JsonSerializable(typeof(Endpoints.ReadinessReport))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
