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

    /// <summary>The model label of metrics for models the configuration does not list.</summary>
    public const string UnlistedModel = "other";

    /// <summary>
    /// The key of the resilience, limiter and health state this deployment uses: its <see cref="Name"/> when listed, else
    /// <c>provider/other</c>, shared by every unlisted model of that provider.
    /// </summary>
    /// <remarks>
    /// Shared rather than a size-limited cache with eviction: evicting a name would reset its circuit and its rate-limit
    /// counts, so a client cycling through more names than the cache holds would slip past both; one shared state per
    /// provider is bounded by the configuration and cannot be cycled. The cost is that unlisted names of one provider
    /// share a circuit and a limit, which is the conservative side.
    /// </remarks>
    public string StateKey => IsListed ? Name : Provider + "/" + UnlistedModel;

    /// <summary>The model as a metric label: the model when listed, else <see cref="UnlistedModel"/> (a bounded label set).</summary>
    public string MetricModel => IsListed ? Model : UnlistedModel;

    /// <summary>
    /// The prices attempts on this deployment are charged at: the catalog entry, else the configured
    /// <c>Switchboard:Catalog:UnpricedModel</c> price, else null (unpriced: refused where a budget applies).
    /// </summary>
    public ModelInfo? Price { get; init; } = Info;

    /// <summary>The input plus output tokens the model accepts; unknown models are assumed unlimited.</summary>
    public long ContextWindow => Info?.ContextWindow ?? long.MaxValue;

    /// <summary>The provider's host, for the <c>server.address</c> span attribute.</summary>
    public string? ServerAddress { get; init; }

    public override string ToString() => Name;
}
