using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Budgets;
using Switchboard.Chat;
using Switchboard.Ledger;

namespace Switchboard.Tests.Ledger;

/// <summary>The ledger's one write path: each record journalled once by the journal thread, group-committed, and stored once
/// from the journal. The clock is fake: nothing here waits for a timer; the store loop moves on the journal's signals.</summary>
public sealed class LedgerWriterTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-ledger-writer-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    [Fact(Timeout = 30_000)]
    public async Task Append_FromManyCallers_EachRecordReachesTheStoreExactlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new CountingStore();
        using var journal = Journal("once.journal");
        await using var writer = Writer(store, journal);
        await writer.StartAsync(ct);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(c => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                if (i % 2 == 0)
                {
                    writer.OnAttempt(Attempt($"c{c}-{i}")); // the router's observer, as in the gateway
                }
                else
                {
                    writer.Append(Record($"c{c}-{i}"));
                }

                await writer.FlushAsync(ct); // the gateway's durable wait before a response's last bytes
            }
        }, ct)));
        await writer.StopAsync(ct); // drains

        Assert.Equal(800, store.Inserts);
        Assert.Equal(800, store.Rows.Count);
        Assert.All(store.Rows, row => Assert.Equal(1, row.Value));
        Assert.Equal(0, journal.PendingRecords);
        Assert.Equal(0, writer.PendingRecords);
        Assert.Equal(0, writer.LostRecords);
    }

    [Fact(Timeout = 30_000)]
    public async Task Append_PastWhatMemoryKeeps_ReadsTheRestBackFromTheJournal_StillExactlyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new CountingStore();
        store.Gate.Reset(); // the store lags: the first batch waits until released
        using var journal = Journal("overflow.journal");
        await using var writer = Writer(store, journal, o => { o.QueueCapacity = 10; o.BatchSize = 7; });
        await writer.StartAsync(ct);

        for (var i = 0; i < 300; i++)
        {
            writer.Append(Record($"o{i}"));
            if (i % 10 == 0)
            {
                await writer.FlushAsync(ct);
            }
        }

        await writer.FlushAsync(ct);
        store.Gate.Set();
        await writer.StopAsync(ct);

        Assert.Equal(300, store.Inserts);
        Assert.All(store.Rows, row => Assert.Equal(1, row.Value));
        Assert.Equal(300, store.Rows.Count);
        Assert.Equal(0, writer.LostRecords);
    }

    [Fact(Timeout = 30_000)]
    public async Task FlushAsync_CompletesOnlyOnceTheRecordIsInTheJournalFile()
    {
        var ct = TestContext.Current.CancellationToken;
        using var journal = Journal("flush.journal");
        await using var writer = Writer(new CountingStore(), journal); // not started: the journal thread alone answers flushes
        using var entered = new ManualResetEventSlim(false);
        using var disk = new ManualResetEventSlim(false);
        journal.BeforeGroupWrite = () =>
        {
            entered.Set();
            disk.Wait(Patience);
        };

        writer.Append(Record("durable-1"));
        var flush = writer.FlushAsync(ct);
        Assert.True(entered.Wait(Patience, ct), "the journal thread took the group");
        Assert.False(flush.IsCompleted, "flushed before the write");
        Assert.DoesNotContain("durable-1", JournalIds(journal.Path));

        disk.Set();
        await flush.WaitAsync(Patience, ct);
        Assert.Equal(new[] { "durable-1" }, JournalIds(journal.Path));
        Assert.True(writer.JournalAvailable);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ConcurrentAppendsAndFlushes_ShareOneWriteAndFlushPerGroup(bool fsync)
    {
        var ct = TestContext.Current.CancellationToken;
        using var journal = Journal($"group-{fsync}.journal", fsync);
        await using var writer = Writer(new CountingStore(), journal);
        using var entered = new ManualResetEventSlim(false);
        using var disk = new ManualResetEventSlim(false);
        journal.BeforeGroupWrite = () =>
        {
            entered.Set();
            disk.Wait(Patience); // the first group's write takes long: everything arriving meanwhile forms the next group
        };

        writer.Append(Record("g-first"));
        var first = writer.FlushAsync(ct);
        Assert.True(entered.Wait(Patience, ct));
        using var appended = new CountdownEvent(63);
        var flushes = Enumerable.Range(0, 63).Select(i => Task.Run(() =>
        {
            writer.Append(Record($"g{i}"));
            appended.Signal();
            return writer.FlushAsync(ct);
        }, ct)).ToArray();
        Assert.True(appended.Wait(Patience, ct));
        Assert.Equal(64, journal.QueuedRecords);
        Assert.False(flushes.Any(f => f.IsCompleted), "a flush completed before its group was written");

        disk.Set();
        await first.WaitAsync(Patience, ct);
        await Task.WhenAll(flushes).WaitAsync(Patience, ct);

        Assert.Equal(2, journal.Commits); // 64 appends and 64 flushes: two writes, two flushes
        Assert.Equal(64, JournalIds(journal.Path).Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task Restart_AfterACrashBetweenJournalAndStore_ReplaysExactlyTheUnconfirmedRecords()
    {
        var ct = TestContext.Current.CancellationToken;
        var before = new CountingStore();
        using var journal = Journal("crash.journal");
        await using var writer = Writer(before, journal);
        await writer.StartAsync(ct);
        for (var i = 0; i < 10; i++)
        {
            writer.Append(Record($"stored-{i}"));
        }

        await writer.FlushAsync(ct);
        await AdvanceUntilAsync(before.WhenInserted(10), ct); // past the store's wait for a fuller batch

        before.Down = true; // the store stops taking records: the next ones exist only in the journal
        for (var i = 0; i < 5; i++)
        {
            writer.Append(Record($"unconfirmed-{i}"));
        }

        await writer.FlushAsync(ct);
        await AdvanceUntilAsync(before.FirstFailure, ct); // the loop has committed the first batch and tried the next one

        // The crash: what is on disk now is all a restarted gateway finds.
        var crashed = Directory.CreateDirectory(Path.Combine(_dir, "after-crash")).FullName;
        File.Copy(journal.Path, Path.Combine(crashed, "crash.journal"));
        File.Copy(journal.Path + ".checkpoint", Path.Combine(crashed, "crash.journal.checkpoint"));

        var after = new CountingStore();
        using var reopened = new LedgerJournal(Path.Combine(crashed, "crash.journal"), NullLogger<LedgerJournal>.Instance, fsync: false);
        Assert.Equal(5, reopened.PendingRecords);
        await using var restarted = Writer(after, reopened);
        await restarted.StartAsync(ct);
        await restarted.StopAsync(ct);

        Assert.Equal(5, after.Inserts);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"unconfirmed-{i}").Order(), after.Rows.Keys.Select(k => k.Id).Order());
        Assert.Equal(0, reopened.PendingRecords);
    }

    [Fact(Timeout = 30_000)]
    public async Task StoreDown_RecordsWaitInTheJournal_AndAreRetriedOnlyWhenTheBackoffHasPassed()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new CountingStore { Down = true };
        using var journal = Journal("retry.journal");
        await using var writer = Writer(store, journal, o => o.MaxRetryDelayMs = 400);
        await writer.StartAsync(ct);
        for (var i = 0; i < 5; i++)
        {
            writer.Append(Record($"retry-{i}"));
        }

        await writer.FlushAsync(ct);
        await store.FirstFailure.WaitAsync(Patience, ct);
        // The store threw; the writer marks it down right after (on its own thread): wait for that, bounded.
        await UntilAsync(() => !writer.StoreAvailable, ct);
        Assert.Equal(5, journal.PendingRecords);
        await Task.Delay(100, ct); // real time passes, the fake clock does not: no retry yet
        Assert.Equal(1, store.Attempts);

        store.Down = false;
        await AdvanceUntilAsync(store.WhenInserted(5), ct); // the backoff runs on the TimeProvider
        Assert.Equal(5, store.Inserts);
        Assert.True(writer.StoreAvailable);
        await writer.StopAsync(ct);
        Assert.Equal(0, journal.PendingRecords);
    }

    [Fact(Timeout = 30_000)]
    public async Task StoreUnderLoad_WaitsForAFullerBatch_UntilTheFlushIntervalHasPassed()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new CountingStore();
        using var journal = Journal("linger.journal");
        await using var writer = Writer(store, journal);
        await writer.StartAsync(ct);
        writer.Append(Record("l-first"));
        await writer.FlushAsync(ct);
        await store.WhenInserted(1).WaitAsync(Patience, ct); // idle store: the first record goes at once

        for (var i = 0; i < 20; i++)
        {
            writer.Append(Record($"l{i}"));
        }

        await writer.FlushAsync(ct);
        await Task.Delay(100, ct); // real time only: the fake clock has not moved, so the store waits for a fuller batch
        Assert.Equal(1, store.Attempts);

        await AdvanceUntilAsync(store.WhenInserted(21), ct);
        Assert.Equal(2, store.Attempts); // the twenty in one transaction
        await writer.StopAsync(ct);
    }

    /// <summary>Waits (real time, bounded by <see cref="Patience"/>) until <paramref name="condition"/> holds.</summary>
    private static async Task UntilAsync(Func<bool> condition, CancellationToken ct)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Patience, "the condition did not hold in time");
            await Task.Delay(5, ct);
        }
    }

    /// <summary>Moves the fake clock on in small steps until <paramref name="task"/> completes.</summary>
    private async Task AdvanceUntilAsync(Task task, CancellationToken ct)
    {
        for (var i = 0; i < 400 && !task.IsCompleted; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(25));
            await Task.WhenAny(task, Task.Delay(10, ct));
        }

        await task.WaitAsync(Patience, ct);
    }

    private LedgerJournal Journal(string name, bool fsync = false) =>
        new(Path.Combine(_dir, name), NullLogger<LedgerJournal>.Instance, fsync);

    private LedgerWriter Writer(ILedgerStore store, LedgerJournal journal, Action<LedgerOptions>? configure = null)
    {
        var options = new LedgerOptions { FlushIntervalMs = 50, BatchSize = 100 };
        configure?.Invoke(options);
        return new LedgerWriter(store, journal, Options.Create(options), _time, NullLogger<LedgerWriter>.Instance);
    }

    /// <summary>The request ids in the journal file, read back as a separate reader would.</summary>
    private static List<string> JournalIds(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(file);
        var ids = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                ids.Add(JsonDocument.Parse(line).RootElement.GetProperty("request_id").GetString()!);
            }
        }

        return ids;
    }

    private LedgerRecord Record(string id) => new()
    {
        RequestId = id,
        AttemptNumber = 1,
        Timestamp = _time.GetUtcNow(),
        Provider = "openai",
        Model = "gpt-4.1-mini",
        Deployment = "openai/gpt-4.1-mini",
        CostUsd = 0.001m,
        Latency = TimeSpan.FromMilliseconds(5),
        Outcome = LedgerOutcomes.Success,
    };

    private AttemptRecord Attempt(string id) => new()
    {
        RequestId = id,
        AttemptNumber = 1,
        StartedAt = _time.GetUtcNow(),
        Deployment = new Deployment("openai", "openai", "gpt-4.1-mini", null),
        Outcome = AttemptOutcome.Success,
        Duration = TimeSpan.FromMilliseconds(5),
    };

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

    /// <summary>An in-memory store that counts every record it is handed, so a second insert of one record shows.</summary>
    private sealed class CountingStore : ILedgerStore
    {
        private readonly TaskCompletionSource _firstFailure = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentDictionary<int, TaskCompletionSource> _waiters = new();
        private long _inserts;

        public ConcurrentDictionary<(string Id, int Attempt), int> Rows { get; } = new();

        public ManualResetEventSlim Gate { get; } = new(true);

        public volatile bool Down;

        public long Inserts => Interlocked.Read(ref _inserts);

        public Task FirstFailure => _firstFailure.Task;

        public Task WhenInserted(int count)
        {
            var waiter = _waiters.GetOrAdd(count, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            if (Inserts >= count)
            {
                waiter.TrySetResult();
            }

            return waiter.Task;
        }

        public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public int Attempts;

        public Task AppendAsync(IReadOnlyList<LedgerRecord> batch, CancellationToken cancellationToken)
        {
            Gate.Wait(cancellationToken);
            Interlocked.Increment(ref Attempts);
            if (Down)
            {
                _firstFailure.TrySetResult();
                return Task.FromException(new InvalidOperationException("store down (test)"));
            }

            foreach (var record in batch)
            {
                Rows.AddOrUpdate((record.RequestId, record.AttemptNumber), 1, (_, n) => n + 1);
            }

            var total = Interlocked.Add(ref _inserts, batch.Count);
            foreach (var (count, waiter) in _waiters)
            {
                if (total >= count)
                {
                    waiter.TrySetResult();
                }
            }

            return Task.CompletedTask;
        }

        public Task<UsageReport> QueryAsync(UsageQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<decimal> SpentAsync(BudgetScope scope, DateTimeOffset since, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
