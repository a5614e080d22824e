namespace Switchboard.Pricing;

/// <summary>The fallback price (USD per million tokens) of a model the catalog does not list: <c>Switchboard:Catalog:UnpricedModel</c>.</summary>
public sealed class UnpricedModelPrice
{
    public decimal InputPerMTok { get; set; }

    public decimal OutputPerMTok { get; set; }

    /// <summary>Output tokens assumed for the worst case when the request sets no maximum.</summary>
    public int MaxOutputTokens { get; set; } = 16_384;

    /// <summary>A catalog entry for <paramref name="provider"/>/<paramref name="model"/> at these prices.</summary>
    public ModelInfo For(string provider, string model) => new()
    {
        Provider = provider,
        Id = model,
        InputPerMTok = InputPerMTok,
        OutputPerMTok = OutputPerMTok,
        ContextWindow = int.MaxValue,
        MaxOutputTokens = MaxOutputTokens,
        PriceSource = "Switchboard:Catalog:UnpricedModel",
    };
}
