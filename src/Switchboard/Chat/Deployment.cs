using Switchboard.Pricing;

namespace Switchboard.Chat;

/// <summary>One provider serving one model: the unit the router plans over and resilience is kept for.</summary>
/// <param name="Provider">The configured provider name (<c>Switchboard:Providers:&lt;name&gt;</c>).</param>
/// <param name="ProviderType">Its protocol (<c>openai</c>, <c>anthropic</c>, ...).</param>
/// <param name="Model">The model id sent to the provider.</param>
/// <param name="Info">The catalog entry (prices, context window), when the catalog knows the model.</param>
public sealed record Deployment(string Provider, string ProviderType, string Model, ModelInfo? Info)
{
    /// <summary><c>provider/model</c>: the deployment's stable identity (resilience, health, ledger, metrics).</summary>
    public string Name { get; } = Provider + "/" + Model;

    /// <summary>Whether the configuration lists this model (the catalog, the provider's <c>Models</c> or a route target).</summary>
    public bool IsListed { get; init; } = true;

    /// <summary>The key of the resilience, limiter and health state this deployment uses.</summary>
    public string StateKey => Name;

    /// <summary>The input plus output tokens the model accepts; unknown models are assumed unlimited.</summary>
    public long ContextWindow => Info?.ContextWindow ?? long.MaxValue;

    /// <summary>The provider's host, for the <c>server.address</c> span attribute.</summary>
    public string? ServerAddress { get; init; }

    public override string ToString() => Name;
}
