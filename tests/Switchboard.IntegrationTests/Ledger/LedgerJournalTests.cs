using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Budgets;
using Switchboard.Chat;
using Switchboard.Ledger;
using Switchboard.PostgreSql;

namespace Switchboard.IntegrationTests.Ledger;

public sealed class LedgerJournalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-journal-test-").FullName;

    [Fact(Timeout = 30_000)]
    public async Task Journal_DrainedPastOneMegabyte_IsTruncated_AndCheckpointSurvivesReopen()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(_dir, "big.journal");
        using (var journal = new LedgerJournal(path, NullLogger<LedgerJournal>.Instance))
        {
            await journal.AppendAsync([.. Enumerable.Range(0, 4000).Select(i => LedgerSamples.Record($"j{i}"))], ct);
            Assert.True(new FileInfo(path).Length > 1 << 20);
            var first = await journal.ReadPendingAsync(1000, ct);
            Assert.Equal(1000, first.Records.Count);
            Assert.Equal("j0", first.Records[0].RequestId);
            await journal.CommitAsync(first, ct);
            Assert.Equal(3000, journal.PendingRecords);
        }

        using (var reopened = new LedgerJournal(path, NullLogger<LedgerJournal>.Instance))
        {
            Assert.Equal(3000, reopened.PendingRecords); // the checkpoint was kept
            JournalSegment segment;
            while ((segment = await reopened.ReadPendingAsync(700, ct)).Lines > 0)
            {
                await reopened.CommitAsync(segment, ct);
            }

            Assert.Equal(0, reopened.PendingRecords);
            Assert.Equal(0, new FileInfo(path).Length);
            await reopened.AppendAsync([LedgerSamples.Record("after")], ct);
            Assert.Equal("after", Assert.Single((await reopened.ReadPendingAsync(10, ct)).Records).RequestId);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Journal_RoundTripsEveryField_AndSkipsAGarbledLine()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(_dir, "fields.journal");
        var record = LedgerSamples.Record("f1", cost: 0.000123456789m) with
        {
            CachedInputTokens = 7, ReasoningTokens = 3, TimeToFirstToken = TimeSpan.FromMilliseconds(12.5), Streamed = true,
            CacheHit = true, CostSavedUsd = 1.23m,
        };
        using (var journal = new LedgerJournal(path, NullLogger<LedgerJournal>.Instance))
        {
            await journal.AppendAsync([record], ct);
        }

        await File.AppendAllTextAsync(path, "not json\n", ct);
        using var reopened = new LedgerJournal(path, NullLogger<LedgerJournal>.Instance);
        var segment = await reopened.ReadPendingAsync(10, ct);
        Assert.Equal(2, segment.Lines);
        Assert.Equal(record, Assert.Single(segment.Records));
    }

    [Fact(Timeout = 30_000)]
    public async Task Journal_ProbeLines_AreNoRecords_InTheCount_AtReopen_OrWhenCommitted()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(_dir, "probes.journal");
        using (var journal = new LedgerJournal(path, NullLogger<LedgerJournal>.Instance))
        {
            await journal.ProbeAsync(ct);
            await journal.AppendAsync([LedgerSamples.Record("p1"), LedgerSamples.Record("p2")], ct);
            await journal.ProbeAsync(ct);
            await journal.ProbeAsync(ct);
            await journal.AppendAsync([LedgerSamples.Record("p3")], ct);
            Assert.Equal(3, journal.PendingRecords);
        }

        Assert.Equal(6, (await File.ReadAllTextAsync(path, ct)).Count(c => c == '\n')); // three probes' empty lines among three records

        using var reopened = new LedgerJournal(path, NullLogger<LedgerJournal>.Instance);
        Assert.Equal(3, reopened.PendingRecords);
        var segment = await reopened.ReadPendingAsync(10, ct);
        Assert.Equal(["p1", "p2", "p3"], segment.Records.Select(r => r.RequestId));
        Assert.Equal(3, segment.Lines);
        await reopened.CommitAsync(segment, ct);
        Assert.Equal(0, reopened.PendingRecords);
        Assert.Equal(0, reopened.PendingBytes);

        // A probe alone is past the checkpoint but holds no record: committing it drains the journal.
        await reopened.ProbeAsync(ct);
        Assert.Equal(0, reopened.PendingRecords);
        var probe = await reopened.ReadPendingAsync(10, ct);
        Assert.Empty(probe.Records);
        Assert.Equal(0, probe.Lines);
        await reopened.CommitAsync(probe, ct);
        Assert.Equal(0, reopened.PendingBytes);
    }

    [Fact(Timeout = 30_000)]
    public void FromAttempt_MapsUsageCostAndOutcome()
    {
        var attempt = new AttemptRecord
        {
            RequestId = "r", AttemptNumber = 2, StartedAt = LedgerSamples.Start, KeyId = "key-1", Route = "smart", Task = "code",
            Deployment = new Deployment("anthropic-main", "anthropic", "claude-sonnet-4-6", null),
            Outcome = AttemptOutcome.Failed, ErrorKind = ProviderErrorKind.Overloaded, StatusCode = 529,
            Duration = TimeSpan.FromMilliseconds(321), Streamed = true,
            Usage = new() { InputTokenCount = 10, OutputTokenCount = 2, CachedInputTokenCount = 4, ReasoningTokenCount = 1 }, CostUsd = 0.5m,
        };
        var r = LedgerRecord.FromAttempt(attempt);
        Assert.Equal(("anthropic-main", "claude-sonnet-4-6", "anthropic-main/claude-sonnet-4-6"), (r.Provider, r.Model, r.Deployment));
        Assert.Equal((LedgerOutcomes.Error, "Overloaded", 529), (r.Outcome, r.ErrorKind, r.StatusCode));
        Assert.Equal((10L, 2L, 4L, 1L), (r.InputTokens!.Value, r.OutputTokens!.Value, r.CachedInputTokens!.Value, r.ReasoningTokens!.Value));
        Assert.Equal(0.5m, r.CostUsd);
        Assert.Equal("key-1", r.KeyId);
        Assert.True(TestContext.Current.CancellationToken.CanBeCanceled);
    }

    [Fact(Timeout = 30_000)]
    public void AddSwitchboardLedger_InvalidConfiguration_NamesEveryKey()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Ledger:Provider"] = "mysql",
            ["Switchboard:Budgets:0:Name"] = "b",
            ["Switchboard:Budgets:0:Scope"] = "key",
            ["Switchboard:Budgets:0:Window"] = "weekly",
            ["Switchboard:Budgets:0:LimitUsd"] = "0",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddSwitchboardLedger(config).AddSwitchboardBudgets(config).BuildServiceProvider();

        var ledger = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LedgerOptions>>().Value);
        Assert.Contains("Switchboard:Ledger:Provider", ledger.Message, StringComparison.Ordinal);
        var budgets = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<BudgetOptions>>().Value);
        Assert.Contains("Switchboard:Budgets:0:Target", budgets.Message, StringComparison.Ordinal);
        Assert.Contains("Switchboard:Budgets:0:Window", budgets.Message, StringComparison.Ordinal);
        Assert.Contains("Switchboard:Budgets:0:LimitUsd", budgets.Message, StringComparison.Ordinal);
        Assert.True(TestContext.Current.CancellationToken.CanBeCanceled);
    }

    [Fact(Timeout = 30_000)]
    public async Task AddSwitchboardLedger_Defaults_ResolveASqliteLedgerThatRecordsAttempts()
    {
        var db = Path.Combine(_dir, "di.db");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Ledger:ConnectionString"] = $"Data Source={db}",
            ["Switchboard:Ledger:FlushIntervalMs"] = "20",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddSwitchboardLedger(config).AddSwitchboardBudgets(config).BuildServiceProvider();
        var writer = services.GetRequiredService<LedgerWriter>();
        Assert.Same(writer, services.GetServices<IAttemptObserver>().Single());
        Assert.Equal(Path.Combine(_dir, LedgerDefaults.JournalFileName), services.GetRequiredService<LedgerJournal>().Path);
        Assert.IsType<SqliteLedgerStore>(services.GetRequiredService<ILedgerStore>());
        Assert.NotNull(services.GetRequiredService<BudgetManager>());
        await writer.StartAsync(TestContext.Current.CancellationToken);
        writer.Append(LedgerSamples.Record("di-1"));
        await LedgerSamples.WaitUntilAsync(async () => (await services.GetRequiredService<ILedgerStore>()
            .QueryAsync(new UsageQuery(), TestContext.Current.CancellationToken)).Total.Attempts == 1, TimeSpan.FromSeconds(10), "the record");
        await writer.StopAsync(TestContext.Current.CancellationToken);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
