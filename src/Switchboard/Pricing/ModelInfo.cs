namespace Switchboard.Pricing;

/// <summary>One model in the catalog: who serves it, what it costs, how much it holds.</summary>
/// <remarks>Prices are USD per million tokens. Each price carries its source and the date it was read.</remarks>
public sealed record ModelInfo
{
    /// <summary>Provider protocol that serves it: <c>openai</c>, <c>anthropic</c>, <c>gemini</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>The API model id.</summary>
    public required string Id { get; init; }

    /// <summary>Other names that resolve to this model (dated snapshots, short names).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public required decimal InputPerMTok { get; init; }
    public required decimal OutputPerMTok { get; init; }

    /// <summary>Price of input tokens read from the provider's prompt cache; null means billed as normal input.</summary>
    public decimal? CachedInputPerMTok { get; init; }

    /// <summary>Price of input tokens written to the prompt cache (Anthropic); null means billed as normal input.</summary>
    public decimal? CacheWritePerMTok { get; init; }

    /// <summary>Prompt size above which the long-context prices apply (Gemini 2.5 Pro: 200k); null when flat.</summary>
    public long? LongContextThreshold { get; init; }
    public decimal? LongInputPerMTok { get; init; }
    public decimal? LongOutputPerMTok { get; init; }

    /// <summary>Input plus output tokens the model accepts.</summary>
    public required int ContextWindow { get; init; }

    /// <summary>Most output tokens one call may produce; the default <c>max_tokens</c> where a provider requires one.</summary>
    public required int MaxOutputTokens { get; init; }

    /// <summary>What the model does: <c>chat</c> (null, the default) or <c>embedding</c> (<see cref="ModelModes"/>).</summary>
    public string? Mode { get; init; }

    /// <summary>An embedding model's default (and largest) vector length; null for chat models.</summary>
    public int? Dimensions { get; init; }

    /// <summary>Whether this is an embedding model (<see cref="Mode"/> is <see cref="ModelModes.Embedding"/>).</summary>
    public bool IsEmbedding => string.Equals(Mode, ModelModes.Embedding, StringComparison.OrdinalIgnoreCase);

    /// <summary>The model rejects non-default temperature / top_p / top_k (newest Anthropic models).</summary>
    public bool RejectsSamplingParameters { get; init; }

    /// <summary>Where the prices were read.</summary>
    public string? PriceSource { get; init; }

    /// <summary>When the prices were read (ISO date).</summary>
    public string? PriceAsOf { get; init; }

    /// <summary>Prices the model takes on later, in date order (a promotion's end): see <see cref="PricedAt"/>. Never null (a
    /// serializer that leaves it out gives none).</summary>
    public IReadOnlyList<PriceChange> PriceChanges
    {
        get => _priceChanges;
        init => _priceChanges = value ?? [];
    }

    private readonly IReadOnlyList<PriceChange> _priceChanges = [];

    /// <summary>
    /// The entry with the prices in force at <paramref name="at"/>: itself before its first <see cref="PriceChanges"/> entry,
    /// after it the latest change's prices (rates the change leaves out keep their ratio to the entry's). Every cost,
    /// estimate and price comparison asks for the price at the time it is made, so a gateway that runs across a change
    /// bills each call at the price of its day.
    /// </summary>
    public ModelInfo PricedAt(DateTimeOffset at)
    {
        PriceChange? change = null;
        foreach (var next in PriceChanges)
        {
            if (next.From > at)
            {
                break;
            }

            change = next;
        }

        if (change is null)
        {
            return this;
        }

        var scale = InputPerMTok == 0 ? 1m : change.InputPerMTok / InputPerMTok;
        return this with
        {
            InputPerMTok = change.InputPerMTok,
            OutputPerMTok = change.OutputPerMTok,
            CachedInputPerMTok = change.CachedInputPerMTok ?? CachedInputPerMTok * scale,
            CacheWritePerMTok = change.CacheWritePerMTok ?? CacheWritePerMTok * scale,
            LongInputPerMTok = change.LongInputPerMTok ?? LongInputPerMTok * scale,
            LongOutputPerMTok = change.LongOutputPerMTok ?? LongOutputPerMTok * (OutputPerMTok == 0 ? 1m : change.OutputPerMTok / OutputPerMTok),
            PriceChanges = [],
        };
    }
}
