namespace Switchboard.Pricing;

/// <summary>
/// A price a model's catalog entry takes on from a known instant: the end of a promotion, an announced change. USD per
/// million tokens, like the entry's own. A rate left out here keeps its ratio to the entry's: cached reads, cache writes
/// and long-context input to the input price (a cached read at a tenth of input stays at a tenth of the new input),
/// long-context output to the output price.
/// </summary>
public sealed record PriceChange
{
    /// <summary>From this instant on (an ISO date is midnight UTC) the prices below apply, until the next change.</summary>
    public required DateTimeOffset From { get; init; }

    public required decimal InputPerMTok { get; init; }
    public required decimal OutputPerMTok { get; init; }
    public decimal? CachedInputPerMTok { get; init; }
    public decimal? CacheWritePerMTok { get; init; }
    public decimal? LongInputPerMTok { get; init; }
    public decimal? LongOutputPerMTok { get; init; }
}
