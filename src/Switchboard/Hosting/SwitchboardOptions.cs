using Switchboard.Pricing;
using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard.Hosting;

/// <summary>The <c>Switchboard</c> configuration section.</summary>
public sealed class SwitchboardOptions
{
    public const string SectionName = "Switchboard";

    /// <summary>Providers by name: <c>Switchboard:Providers:&lt;name&gt;</c>.</summary>
    public IDictionary<string, ProviderOptions> Providers { get; } = new Dictionary<string, ProviderOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Routes and aliases by name: <c>Switchboard:Models:&lt;name&gt;</c>.</summary>
    public IDictionary<string, RouteDefinition> Models { get; } = new Dictionary<string, RouteDefinition>(StringComparer.OrdinalIgnoreCase);

    public RoutingOptions Routing { get; set; } = new();

    /// <summary>Catalog overrides: extra or replaced models (<c>Switchboard:Catalog:Models</c>).</summary>
    public CatalogOptions Catalog { get; set; } = new();

    /// <summary><c>Switchboard:Telemetry</c>.</summary>
    public TelemetryOptions Telemetry { get; set; } = new();

    /// <summary>The route table these options describe, over <paramref name="catalog"/>.</summary>
    public RouteTable CreateRouteTable(ModelCatalog catalog) =>
        new(Providers.AsReadOnly(), Models.AsReadOnly(), Routing, catalog, Catalog.UnpricedModel);
}

/// <summary><c>Switchboard:Telemetry</c>: what traces may carry beyond the GenAI metadata.</summary>
public sealed class TelemetryOptions
{
    /// <summary>
    /// Record prompt and answer text on the request's spans (GenAI convention <c>gen_ai.input.messages</c> /
    /// <c>gen_ai.output.messages</c>). Off by default: prompts are the users' data.
    /// </summary>
    public bool RecordContent { get; set; }
}

/// <summary><c>Switchboard:Catalog</c>: models added to or replacing the embedded catalog.</summary>
public sealed class CatalogOptions
{
    public IList<ModelInfo> Models { get; } = [];

    /// <summary>
    /// <c>Switchboard:Catalog:UnpricedModel</c>: the price of a model the catalog does not list. Null (the default): under
    /// a budget such a model is refused, because its cost cannot be bounded.
    /// </summary>
    public UnpricedModelPrice? UnpricedModel { get; set; }

    /// <summary>
    /// <c>Switchboard:Catalog:Import</c>: a price file in LiteLLM's <c>model_prices_and_context_window.json</c> format (a path,
    /// relative to the working folder). Its openai, anthropic and gemini chat and embedding models replace or add to the
    /// embedded catalog; <see cref="Models"/> still win over it. Read once at start-up.
    /// </summary>
    public string? Import { get; set; }

    /// <summary>The models that override the embedded catalog: the imported price file's, then <see cref="Models"/>.</summary>
    public IEnumerable<ModelInfo> Overrides() =>
        string.IsNullOrWhiteSpace(Import) ? Models : [.. LiteLlmPriceFile.Load(Import), .. Models];
}
