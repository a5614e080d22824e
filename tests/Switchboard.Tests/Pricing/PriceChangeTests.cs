using Microsoft.Extensions.AI;
using Switchboard.Hosting;
using Switchboard.Pricing;

namespace Switchboard.Tests.Pricing;

/// <summary>Prices that change at a known instant (<see cref="ModelInfo.PriceChanges"/>): which applies when, and what a change leaves out.</summary>
public sealed class PriceChangeTests
{
    private static readonly DateTimeOffset NewYear = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ModelInfo Model(params PriceChange[] changes) => new()
    {
        Provider = "gemini", Id = "m", InputPerMTok = 1.00m, CachedInputPerMTok = 0.10m, OutputPerMTok = 4.00m,
        LongContextThreshold = 200_000, LongInputPerMTok = 2.00m, LongOutputPerMTok = 6.00m, ContextWindow = 1_000_000, MaxOutputTokens = 1000,
        PriceChanges = changes,
    };

    [Fact]
    public void BeforeTheFirstChange_TheEntryIsItsOwnPrice()
    {
        var model = Model(new PriceChange { From = NewYear, InputPerMTok = 3m, OutputPerMTok = 8m });

        Assert.Same(model, model.PricedAt(NewYear.AddTicks(-1)));
        var unchanging = Model();
        Assert.Same(unchanging, unchanging.PricedAt(DateTimeOffset.MaxValue));
    }

    [Fact]
    public void FromTheChange_ItsPricesApply_AndTheRatesItLeavesOutKeepTheirRatio()
    {
        var model = Model(new PriceChange { From = NewYear, InputPerMTok = 3m, OutputPerMTok = 8m });

        var priced = model.PricedAt(NewYear);

        Assert.Equal(3m, priced.InputPerMTok);
        Assert.Equal(8m, priced.OutputPerMTok);
        Assert.Equal(0.30m, priced.CachedInputPerMTok); // a tenth of input, as before
        Assert.Null(priced.CacheWritePerMTok);
        Assert.Equal(6m, priced.LongInputPerMTok); // twice input, as before
        Assert.Equal(12m, priced.LongOutputPerMTok); // one and a half times output, as before
        Assert.Empty(priced.PriceChanges);
        // 1,000 plain + 1,000 cached input, 1,000 output: 3,000 + 300 + 8,000 per million.
        var usage = new UsageDetails { InputTokenCount = 2_000, CachedInputTokenCount = 1_000, OutputTokenCount = 1_000 };
        Assert.Equal(0.0113m, CostCalculator.Compute(priced, usage));
    }

    [Fact]
    public void OfSeveralChanges_TheLatestThatHasBegunApplies_WithTheRatesItStates()
    {
        var model = Model(
            new PriceChange { From = NewYear, InputPerMTok = 3m, OutputPerMTok = 8m },
            new PriceChange { From = NewYear.AddMonths(3), InputPerMTok = 0.5m, OutputPerMTok = 2m, CachedInputPerMTok = 0.25m });

        Assert.Equal(3m, model.PricedAt(NewYear.AddMonths(3).AddSeconds(-1)).InputPerMTok);
        var latest = model.PricedAt(NewYear.AddYears(5));
        Assert.Equal(0.5m, latest.InputPerMTok);
        Assert.Equal(0.25m, latest.CachedInputPerMTok);
    }

    [Theory]
    [InlineData("2027-01-01", "2026-12-01", "date order")]
    [InlineData("2027-01-01", "2027-01-01", "date order")]
    [InlineData("2027-01-01", "2027-02-01", null)]
    public void Validator_RefusesChangesOutOfDateOrder(string first, string second, string? error)
    {
        var model = Model(
            new PriceChange { From = DateTimeOffset.Parse(first, System.Globalization.CultureInfo.InvariantCulture), InputPerMTok = 1m, OutputPerMTok = 1m },
            new PriceChange { From = DateTimeOffset.Parse(second, System.Globalization.CultureInfo.InvariantCulture), InputPerMTok = 1m, OutputPerMTok = 1m });

        var found = SwitchboardOptionsValidator.PriceChangesError(model);

        if (error is null)
        {
            Assert.Null(found);
        }
        else
        {
            Assert.Contains(error, found, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validator_RefusesANegativePrice()
    {
        var model = Model(new PriceChange { From = NewYear, InputPerMTok = 1m, OutputPerMTok = 1m, CachedInputPerMTok = -0.1m });

        Assert.Contains(">= 0", SwitchboardOptionsValidator.PriceChangesError(model), StringComparison.Ordinal);
    }
}
