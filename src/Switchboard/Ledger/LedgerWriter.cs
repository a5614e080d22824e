using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Chat;

namespace Switchboard.Ledger;

/// <summary>
/// Records attempts off the request path, through one write path. <see cref="Append"/> (and <see cref="OnAttempt"/>) hand a
/// record to the <see cref="LedgerJournal"/>'s writer thread, which appends each record once, group-committed;
/// <see cref="FlushAsync"/> waits until everything appended before it is durable there (await it before a response's last
/// bytes). A store loop on its own thread feeds the store only from the journal: batches of what the journal wrote (taken
/// from memory when it still has them, else read back from the file), one transaction each, each confirmed by moving the
/// journal's checkpoint. While the store is down, records wait in the journal and are retried with backoff; the journal
/// is drained at start (a crash's leftovers) and at stop.
/// </summary>
/// <remarks>
/// When the journal cannot be written (disk full, read-only, past <c>JournalMaxBytes</c>) the request still gets its answer:
/// its record is kept in memory and written to the store from there, and <see cref="JournalAvailable"/> (so <c>/readyz</c>)
/// says not ready until a probe append succeeds again. Memory is bounded: past ten times <c>QueueCapacity</c> records are
/// dropped, counted in <see cref="LostRecords"/> and logged. A hosted service: started and stopped (drained) with the host.
/// </remarks>
public sealed partial class LedgerWriter : IAttemptObserver, IHostedService, IAsyncDisposable, IJournalConsumer
{
    private readonly ILedgerStore _store;
    private readonly LedgerJournal _journal;
    private readonly LedgerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Queue<JournalChunk> _written = new(); // what the journal wrote, in order, until the store has it
    private readonly List<LedgerRecord> _held = [];        // what the journal refused
    private readonly WorkSignal _work = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private int _writtenRecords;
    private long _heldCount;
    private long _lost;
    private int _disposed;
    private volatile bool _stopping;
    private volatile bool _closed;
    private bool _storeDown;
    private long _storeFailures;
    private bool _journalDown;
    private TimeSpan _retryDelay;
    private DateTimeOffset _retryAt;
    private TimeSpan _probeDelay;
    private DateTimeOffset _lastStoreAt = DateTimeOffset.MinValue;
    private volatile bool _lingering;
    private DateTimeOffset _probeAt;

    public LedgerWriter(ILedgerStore store, LedgerJournal journal, IOptions<LedgerOptions> options, TimeProvider time, ILogger<LedgerWriter> logger)
    {
        _store = store;
        _journal = journal;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _retryDelay = _probeDelay = FlushInterval;
        _abort.Token.Register(() => _aborted.TrySetResult());
        journal.Attach(this);
    }

    /// <summary>Records not yet confirmed in the store (handed over, held in memory, or journalled): a gauge for metrics.</summary>
    public long PendingRecords => _journal.QueuedRecords + Interlocked.Read(ref _heldCount) + _journal.PendingRecords;

    /// <summary>Whether the last write to the store succeeded.</summary>
    public bool StoreAvailable => !Volatile.Read(ref _storeDown);

    /// <summary>Whether the last journal write succeeded; while false, records the journal refused are held in memory.</summary>
    public bool JournalAvailable => !Volatile.Read(ref _journalDown);

    /// <summary>Records dropped because memory passed its bound while neither store nor journal took them.</summary>
    public long LostRecords => Interlocked.Read(ref _lost);

    /// <summary>The journal this writer appends to and feeds the store from.</summary>
    public LedgerJournal Journal => _journal;

    private TimeSpan FlushInterval => TimeSpan.FromMilliseconds(_options.FlushIntervalMs);

    private long MemoryBound => (long)_options.QueueCapacity * 10;

    /// <summary>Appends the attempt's record; never blocks and never throws.</summary>
    public void OnAttempt(AttemptRecord attempt) => Append(LedgerRecord.FromAttempt(attempt));

    /// <summary>Hands the record (an attempt, a cache hit, a guardrail row) to the journal's writer thread: no lock, no disk,
    /// never throws. It reaches the store once, from the journal.</summary>
    public void Append(LedgerRecord record)
    {
        if (_loop is null && !_stopping)
        {
            _ = StartAsync(CancellationToken.None); // used without a host (library, CLI): the first record starts the store loop
        }

        if (record is null || _journal.QueuedRecords + Interlocked.Read(ref _heldCount) >= MemoryBound || !_journal.Append(record))
        {
            Lose(1, null);
        }
    }

    /// <summary>
    /// Completes when every record appended before the call is durable in the journal (written to the operating system, or
    /// fsynced with <see cref="LedgerDurability.Fsync"/>), or, when the journal refused it, held in memory for the store (see
    /// the remarks; <see cref="JournalAvailable"/> is then false). Never faults except by <paramref name="cancellationToken"/>.
    /// </summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_journal.QueuedRecords == 0)
        {
            return Task.CompletedTask; // every group so far is written or refused
        }

        var group = _journal.FlushGroupAsync();
        return cancellationToken.CanBeCanceled ? group.WaitAsync(cancellationToken) : group;
    }

    /// <summary>Starts the store loop on its own thread; it first drains what an earlier run left in the journal.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_abort)
        {
            _loop ??= DedicatedThreadLoop.Start("switchboard-ledger-writer", () => RunAsync(_abort.Token));
        }

        return Task.CompletedTask;
    }

    /// <summary>Waits for the journal to take everything appended, then stores what it holds while the store answers; when
    /// <paramref name="cancellationToken"/> fires (or the store fails) it stops, leaving the rest in the journal for the next
    /// start (records held in memory are journalled as a last resort).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        if (_loop is null)
        {
            return;
        }

        await using var registration = cancellationToken.Register(() => _abort.Cancel());
        await Task.WhenAny(_journal.FlushGroupAsync(), _aborted.Task);
        _work.Set();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return; // registered twice (as itself and as an IAttemptObserver), so disposed twice
        }

        await StopAsync(new CancellationToken(canceled: true));
        _abort.Dispose();
    }

    void IJournalConsumer.OnJournalled(JournalChunk chunk)
    {
        JournalWorked();
        lock (_gate)
        {
            // Memory is only a shortcut: past QueueCapacity the store loop reads these records back from the file.
            if (_writtenRecords + chunk.Records.Count <= _options.QueueCapacity || _written.Count == 0)
            {
                _written.Enqueue(chunk);
                _writtenRecords += chunk.Records.Count;
            }
        }

        if (!_lingering || _journal.PendingRecords >= _options.BatchSize)
        {
            _work.Set();
        }
    }

    void IJournalConsumer.OnRefused(List<LedgerRecord> records, Exception failure)
    {
        JournalFailed(records.Count, failure);
        if (records.Count == 0)
        {
            return;
        }

        if (_closed)
        {
            Lose(records.Count, failure); // stopped: nothing would store them from memory any more
            return;
        }

        lock (_gate)
        {
            var room = (int)Math.Max(0, MemoryBound - _held.Count);
            var keep = Math.Min(room, records.Count);
            _held.AddRange(keep == records.Count ? records : records.GetRange(0, keep));
            Interlocked.Add(ref _heldCount, keep);
            if (keep < records.Count)
            {
                Lose(records.Count - keep, failure);
            }
        }

        _work.Set();
    }

    private void JournalWorked()
    {
        if (Volatile.Read(ref _journalDown))
        {
            Volatile.Write(ref _journalDown, false);
            LogJournalRecovered(_logger, _journal.Path);
        }
    }

    private void JournalFailed(int count, Exception ex)
    {
        if (!Volatile.Read(ref _journalDown))
        {
            _probeDelay = FlushInterval;
            _probeAt = _time.GetUtcNow() + _probeDelay;
            Volatile.Write(ref _journalDown, true);
            LogJournalFailed(_logger, count, ex);
        }
    }

    private void Lose(int count, Exception? ex)
    {
        if (Interlocked.Add(ref _lost, count) == count)
        {
            LogLost(_logger, count, ex); // the first loss is logged; the metric counts the rest
        }
    }

    /// <summary>An auto-reset signal the store loop awaits; setting it is a couple of interlocked operations.</summary>
    private sealed class WorkSignal
    {
        private TaskCompletionSource? _waiter;
        private int _set;

        public void Set()
        {
            Volatile.Write(ref _set, 1);
            Interlocked.Exchange(ref _waiter, null)?.TrySetResult();
        }

        public Task WaitAsync()
        {
            if (Interlocked.Exchange(ref _set, 0) == 1)
            {
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _waiter, waiter);
            if (Interlocked.Exchange(ref _set, 0) == 1)
            {
                Interlocked.Exchange(ref _waiter, null)?.TrySetResult();
            }

            return waiter.Task;
        }
    }
}
