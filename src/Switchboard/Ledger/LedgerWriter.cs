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

    private async Task RunAsync(CancellationToken abort)
    {
        try
        {
            while (!abort.IsCancellationRequested)
            {
                var worked = false;
                var stopping = _stopping;
                if (!stopping && await LingerAsync())
                {
                    continue;
                }

                if (stopping || !Volatile.Read(ref _storeDown) || _time.GetUtcNow() >= _retryAt)
                {
                    var failures = _storeFailures;
                    worked |= await StoreHeldAsync(abort);
                    if (_storeFailures == failures) // the store did not just refuse the held records
                    {
                        worked |= await StoreJournalledAsync(abort);
                    }
                }

                if (Volatile.Read(ref _journalDown) && _time.GetUtcNow() >= _probeAt)
                {
                    await ProbeJournalAsync();
                }

                if (stopping && (Volatile.Read(ref _storeDown) || PendingRecords == 0))
                {
                    break; // drained, or the store refused while stopping: the journal keeps the rest for the next start
                }

                if (!worked)
                {
                    await WaitForWorkAsync();
                }
            }
        }
        finally
        {
            await JournalHeldAsync();
        }
    }

    /// <summary>The next batch the journal holds after its checkpoint, stored in one transaction and then committed.</summary>
    private async Task<bool> StoreJournalledAsync(CancellationToken abort)
    {
        JournalSegment segment;
        try
        {
            segment = await NextSegmentAsync(abort);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogJournalFailed(_logger, 0, ex);
            return false;
        }

        if (segment.Lines == 0 || (segment.Records.Count > 0 && !await TryStoreAsync(segment.Records, abort)))
        {
            return false;
        }

        try
        {
            await _journal.CommitAsync(segment, CancellationToken.None);
        }
        catch (IOException ex)
        {
            LogJournalFailed(_logger, 0, ex); // the records are stored; a crash now replays them (the store ignores them)
        }

        return true;
    }

    /// <summary>
    /// The records right after the journal's checkpoint: the groups the journal thread just wrote, from memory, when the first
    /// starts at the checkpoint; otherwise (after a restart, or past the memory bound) read back from the file. Either way the
    /// checkpoint, not memory, decides what is confirmed: groups at or before it are dropped unread.
    /// </summary>
    private Task<JournalSegment> NextSegmentAsync(CancellationToken abort)
    {
        var checkpoint = _journal.Checkpoint;
        lock (_gate)
        {
            while (_written.TryPeek(out var old) && old.End <= checkpoint)
            {
                _written.Dequeue();
                _writtenRecords -= old.Records.Count;
            }

            if (_written.TryPeek(out var first) && first.Start == checkpoint)
            {
                var end = first.End;
                var lines = first.Lines;
                List<LedgerRecord>? records = null;
                foreach (var chunk in _written.Skip(1))
                {
                    if (chunk.Start != end || lines + chunk.Lines > _options.BatchSize)
                    {
                        break;
                    }

                    records ??= [.. first.Records];
                    records.AddRange(chunk.Records);
                    end = chunk.End;
                    lines += chunk.Lines;
                }

                return Task.FromResult(new JournalSegment(records ?? first.Records, end, lines));
            }
        }

        return _journal.PendingBytes == 0
            ? Task.FromResult(new JournalSegment([], checkpoint, 0))
            : _journal.ReadPendingAsync(_options.BatchSize, abort);
    }

    /// <summary>
    /// While a batch was stored less than <c>FlushIntervalMs</c> ago and fewer than <c>BatchSize</c> records wait, waits for
    /// more (or for that interval to pass): under load the store then takes a few large transactions a second instead of one
    /// per journal group, each of which costs a commit (measured: the per-group store made the gateway ~13 % slower on one
    /// core). The records are durable in the journal meanwhile; only their arrival in the store is later, by at most the
    /// interval. True when it waited.
    /// </summary>
    private async Task<bool> LingerAsync()
    {
        var waiting = _journal.PendingRecords + Interlocked.Read(ref _heldCount);
        var until = _lastStoreAt == DateTimeOffset.MinValue ? DateTimeOffset.MinValue : _lastStoreAt + FlushInterval;
        var now = _time.GetUtcNow();
        if (waiting == 0 || waiting >= _options.BatchSize || now >= until || Volatile.Read(ref _storeDown))
        {
            return false;
        }

        _lingering = true;
        try
        {
            await Task.WhenAny(_work.WaitAsync(), Task.Delay(until - now, _time), _aborted.Task);
        }
        finally
        {
            _lingering = false;
        }

        return true;
    }

    /// <summary>Records the journal refused, straight from memory (the only records that skip the journal).</summary>
    private async Task<bool> StoreHeldAsync(CancellationToken abort)
    {
        List<LedgerRecord> batch;
        lock (_gate)
        {
            if (_held.Count == 0)
            {
                return false;
            }

            batch = _held.GetRange(0, Math.Min(_held.Count, _options.BatchSize));
        }

        if (!await TryStoreAsync(batch, abort))
        {
            return false;
        }

        lock (_gate)
        {
            _held.RemoveRange(0, batch.Count);
            Interlocked.Add(ref _heldCount, -batch.Count);
        }

        return true;
    }

    private async Task<bool> TryStoreAsync(IReadOnlyList<LedgerRecord> records, CancellationToken abort)
    {
        try
        {
            await _store.AppendAsync(records, abort);
            _lastStoreAt = _time.GetUtcNow();
            if (Volatile.Read(ref _storeDown))
            {
                Volatile.Write(ref _storeDown, false);
                LogStoreRecovered(_logger, _journal.PendingRecords);
            }

            _retryDelay = FlushInterval;
            _retryAt = DateTimeOffset.MinValue;
            return true;
        }
        catch (Exception ex) when (!abort.IsCancellationRequested)
        {
            _storeFailures++;
            if (!Volatile.Read(ref _storeDown))
            {
                Volatile.Write(ref _storeDown, true);
                LogStoreDown(_logger, records.Count, ex);
            }

            _retryAt = _time.GetUtcNow() + _retryDelay;
            _retryDelay = TimeSpan.FromMilliseconds(Math.Min(_retryDelay.TotalMilliseconds * 2, _options.MaxRetryDelayMs));
            return false;
        }
        catch (Exception) when (abort.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task ProbeJournalAsync()
    {
        try
        {
            await _journal.ProbeAsync(CancellationToken.None); // success reports through OnJournalled
            _probeDelay = FlushInterval;
            return;
        }
        catch (Exception)
        {
        }

        _probeAt = _time.GetUtcNow() + _probeDelay;
        _probeDelay = TimeSpan.FromMilliseconds(Math.Min(_probeDelay.TotalMilliseconds * 2, _options.MaxRetryDelayMs));
    }

    /// <summary>Last resort when stopping: what is held in memory goes to the journal (the next start stores it).</summary>
    private async Task JournalHeldAsync()
    {
        _closed = true;
        List<LedgerRecord> rest;
        lock (_gate)
        {
            rest = [.. _held];
            _held.Clear();
            Interlocked.Add(ref _heldCount, -rest.Count);
        }

        if (rest.Count == 0)
        {
            return;
        }

        try
        {
            await _journal.AppendAsync(rest, CancellationToken.None); // a refusal is counted as lost by OnRefused
        }
        catch (ObjectDisposedException ex)
        {
            Lose(rest.Count, ex);
        }
        catch (Exception)
        {
        }
    }

    /// <summary>Until the journal writes or refuses a group, <c>FlushIntervalMs</c> passes or the writer is aborted. Throws
    /// nothing: a cancelled wait would throw an exception five times a second on an idle gateway.</summary>
    private async Task WaitForWorkAsync()
    {
        var signal = _work.WaitAsync();
        if (!signal.IsCompleted)
        {
            await Task.WhenAny(signal, Task.Delay(FlushInterval, _time), _aborted.Task);
        }
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
