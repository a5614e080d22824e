using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Budgets;
using Switchboard.Ledger;

namespace Switchboard.IntegrationTests.Ledger;

/// <summary>The ledger contract, run against each store (SQLite file, real PostgreSQL).</summary>
public abstract partial class LedgerStoreTestsBase : IAsyncLifetime
{
    protected string WorkDir { get; } = Directory.CreateTempSubdirectory("sb-ledger-test-").FullName;

    /// <summary>The store under test (fresh for each test).</summary>
    protected ILedgerStore Store { get; set; } = null!;

    /// <summary>Makes the store unreachable (SQLite: a switch; PostgreSQL: the server is stopped).</summary>
    protected abstract Task TakeStoreDownAsync();

    protected abstract Task BringStoreBackAsync();

    protected abstract Task<ILedgerStore> CreateStoreAsync();

    public async ValueTask InitializeAsync() => Store = await CreateStoreAsync();

    public virtual async ValueTask DisposeAsync()
    {
        switch (Store)
        {
            case IAsyncDisposable d:
                await d.DisposeAsync();
                break;
            case IDisposable d:
                d.Dispose();
                break;
        }

        GC.SuppressFinalize(this);
    }

    [Fact(Timeout = 30_000)]
    public async Task Append_ReplayedBatch_IsCountedOnce()
    {
        LedgerRecord[] batch = [LedgerSamples.Record("r1"), LedgerSamples.Record("r1", attempt: 2), LedgerSamples.Record("r2")];
        await Store.AppendAsync(batch, TestContext.Current.CancellationToken);
        await Store.AppendAsync([.. batch, LedgerSamples.Record("r3")], TestContext.Current.CancellationToken); // journal replay after a crash

        var report = await Store.QueryAsync(new UsageQuery { By = UsageGrouping.Provider }, TestContext.Current.CancellationToken);

        Assert.Equal(4, report.Total.Attempts);
        Assert.Equal(3, report.Total.Requests);
        Assert.Equal(0.04m, report.Total.CostUsd);
    }

    [Fact(Timeout = 30_000)]
    public async Task Initialize_Twice_AppliesMigrationsOnce()
    {
        await Store.InitializeAsync(TestContext.Current.CancellationToken);
        var again = await CreateStoreAsync(); // a second process / replica on the same database
        await again.InitializeAsync(TestContext.Current.CancellationToken);
        await again.AppendAsync([LedgerSamples.Record("m1")], TestContext.Current.CancellationToken);
        Assert.Equal(1, (await Store.QueryAsync(new UsageQuery(), TestContext.Current.CancellationToken)).Total.Attempts);
        (again as IDisposable)?.Dispose();
        if (again is IAsyncDisposable ad)
        {
            await ad.DisposeAsync();
        }
    }

    [Theory(Timeout = 30_000)]
    [InlineData(UsageGrouping.Provider)]
    [InlineData(UsageGrouping.Model)]
    [InlineData(UsageGrouping.Key)]
    [InlineData(UsageGrouping.Route)]
    [InlineData(UsageGrouping.Day)]
    public async Task Report_Totals_EqualCostCalculatorSums(UsageGrouping by)
    {
        var priced = LedgerSamples.Priced("p" + by, 120);
        await Store.AppendAsync([.. priced.Select(p => p.Record)], TestContext.Current.CancellationToken);

        var report = await Store.QueryAsync(new UsageQuery { By = by }, TestContext.Current.CancellationToken);

        var expected = priced.GroupBy(p => by switch
        {
            UsageGrouping.Provider => p.Record.Provider,
            UsageGrouping.Model => p.Record.Model,
            UsageGrouping.Key => p.Record.KeyId!,
            UsageGrouping.Route => p.Record.Route!,
            _ => p.Record.Timestamp.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }).ToDictionary(g => g.Key, g => (
            Cost: g.Sum(p => Switchboard.Pricing.CostCalculator.Compute(p.Model, p.Usage) ?? 0m),
            Input: g.Sum(p => p.Usage.InputTokenCount ?? 0),
            Output: g.Sum(p => p.Usage.OutputTokenCount ?? 0),
            Count: g.Count()));
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), report.Rows.Select(r => r.Group));
        foreach (var row in report.Rows)
        {
            var e = expected[row.Group];
            Assert.Equal(Math.Round(e.Cost, 2), Math.Round(row.CostUsd, 2));
            Assert.Equal(e.Cost, row.CostUsd); // exact: money is never floating point
            Assert.Equal(e.Input, row.InputTokens);
            Assert.Equal(e.Output, row.OutputTokens);
            Assert.Equal(e.Count, row.Requests);
        }

        Assert.Equal(expected.Values.Sum(e => e.Cost), report.Total.CostUsd);
        Assert.Contains("cost_usd", report.ToCsv().Split('\n')[0], StringComparison.Ordinal);
        Assert.Contains("\"total\"", report.ToJson(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Report_Percentiles_ErrorRate_CacheSavings_AndWindow()
    {
        var records = Enumerable.Range(1, 100).Select(i => LedgerSamples.Record($"lat-{i}", latencyMs: i)).ToList();
        records.Add(LedgerSamples.Record("err-1", outcome: LedgerOutcomes.Error, latencyMs: 9_999, cost: null));
        records.Add(LedgerSamples.Record("hit-1", cost: 0m, latencyMs: 1) with { CacheHit = true, CostSavedUsd = 0.25m });
        records.Add(LedgerSamples.Record("old-1", at: LedgerSamples.Start.AddDays(-2)));
        await Store.AppendAsync(records, TestContext.Current.CancellationToken);

        var report = await Store.QueryAsync(new UsageQuery { Since = LedgerSamples.Start.AddDays(-1), By = UsageGrouping.Model }, TestContext.Current.CancellationToken);

        var row = Assert.Single(report.Rows);
        Assert.Equal(102, row.Attempts);
        Assert.Equal(50.5, row.LatencyP50Ms!.Value, 3);
        Assert.Equal(95.05, row.LatencyP95Ms!.Value, 3);
        Assert.Equal(99.01, row.LatencyP99Ms!.Value, 3);
        Assert.Equal(1, row.Errors);
        Assert.Equal(1.0 / 102, row.ErrorRate, 6);
        Assert.Equal(1, row.CacheHits);
        Assert.Equal(0.25m, row.CostSavedUsd);
        Assert.Equal(1.00m, row.CostUsd);
    }

    [Fact(Timeout = 30_000)]
    public async Task Spent_CountsOnlyTheScopeSinceTheWindow()
    {
        await Store.AppendAsync(
        [
            LedgerSamples.Record("s1", cost: 1.5m, key: "k1"),
            LedgerSamples.Record("s2", cost: 2.25m, key: "k2", model: "claude"),
            LedgerSamples.Record("s3", cost: 4m, key: "k1", at: LedgerSamples.Start.AddDays(-1)),
            LedgerSamples.Record("s4", cost: null, key: "k1"),
        ], TestContext.Current.CancellationToken);

        Assert.Equal(3.75m, await Store.SpentAsync(BudgetScope.Global, LedgerSamples.Start.AddHours(-1), TestContext.Current.CancellationToken));
        Assert.Equal(1.5m, await Store.SpentAsync(new BudgetScope(BudgetScopeKind.Key, "k1"), LedgerSamples.Start.AddHours(-1), TestContext.Current.CancellationToken));
        Assert.Equal(5.5m, await Store.SpentAsync(new BudgetScope(BudgetScopeKind.Key, "k1"), DateTimeOffset.UnixEpoch, TestContext.Current.CancellationToken));
        Assert.Equal(2.25m, await Store.SpentAsync(new BudgetScope(BudgetScopeKind.Model, "claude"), DateTimeOffset.UnixEpoch, TestContext.Current.CancellationToken));
        Assert.Equal(7.75m, await Store.SpentAsync(new BudgetScope(BudgetScopeKind.Route, "smart"), DateTimeOffset.UnixEpoch, TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 60_000)]
    public async Task Writer_StoreDown_JournalsAndDrainsWhenItReturns()
    {
        await Store.InitializeAsync(TestContext.Current.CancellationToken);
        using var journal = new LedgerJournal(Path.Combine(WorkDir, "down.journal"), NullLogger<LedgerJournal>.Instance);
        var options = Options.Create(new LedgerOptions { FlushIntervalMs = 50, MaxRetryDelayMs = 500 });
        await using var writer = new LedgerWriter(Store, journal, options, TimeProvider.System, NullLogger<LedgerWriter>.Instance);
        await writer.StartAsync(TestContext.Current.CancellationToken);

        await TakeStoreDownAsync();
        try
        {
            for (var i = 0; i < 40; i++)
            {
                writer.Append(LedgerSamples.Record($"down-q{i}"));
            }

            for (var i = 0; i < 10; i++)
            {
                writer.Append(LedgerSamples.Record($"down-d{i}"));
                await writer.FlushAsync(TestContext.Current.CancellationToken);
            }

            await LedgerSamples.WaitUntilAsync(() => Task.FromResult(!writer.StoreAvailable && journal.PendingRecords == 50),
                TimeSpan.FromSeconds(20), "the writer to journal every record while the store is down");
        }
        finally
        {
            await BringStoreBackAsync();
        }

        await LedgerSamples.WaitUntilAsync(async () => writer.PendingRecords == 0
            && (await Store.QueryAsync(new UsageQuery(), TestContext.Current.CancellationToken)).Total.Attempts == 50, TimeSpan.FromSeconds(30), "all 50 records in the store");
        Assert.True(writer.StoreAvailable);
        Assert.Equal(0, journal.PendingRecords);
    }

    [Fact(Timeout = 30_000)]
    public async Task Writer_AfterCrash_ReplaysJournalAtStart()
    {
        var path = Path.Combine(WorkDir, "crash.journal");
        using (var crashed = new LedgerJournal(path, NullLogger<LedgerJournal>.Instance))
        {
            // Acknowledged (flushed) records, then the process dies before the writer stored them.
            await crashed.AppendAsync([LedgerSamples.Record("c1"), LedgerSamples.Record("c2"), LedgerSamples.Record("c3")], TestContext.Current.CancellationToken);
        }

        await File.AppendAllTextAsync(path, "{\"request_id\":\"torn", TestContext.Current.CancellationToken); // a crash mid-append
        using var journal = new LedgerJournal(path, NullLogger<LedgerJournal>.Instance);
        Assert.Equal(3, journal.PendingRecords);
        var options = Options.Create(new LedgerOptions { FlushIntervalMs = 50 });
        await using var writer = new LedgerWriter(Store, journal, options, TimeProvider.System, NullLogger<LedgerWriter>.Instance);
        await writer.StartAsync(TestContext.Current.CancellationToken);

        await LedgerSamples.WaitUntilAsync(async () => (await Store.QueryAsync(new UsageQuery(), TestContext.Current.CancellationToken)).Total.Attempts == 3,
            TimeSpan.FromSeconds(20), "the journal's 3 records in the store");
        await writer.StopAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, journal.PendingRecords);
    }
}
