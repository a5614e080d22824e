using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Chat;

namespace Switchboard.Ledger;

/// <summary>
/// Records attempts off the request path. <see cref="OnAttempt"/> / <see cref="Enqueue"/> only add to an in-memory queue
/// (never a lock, never the disk); <see cref="RecordDurablyAsync(LedgerRecord, CancellationToken)"/> journals a record before
/// the caller goes on. One loop on its own thread writes both into the store in batches; when the queue passes
/// <c>QueueCapacity</c> (the store is not keeping up) that loop spills the excess to the journal, and while the store is down
/// records wait in the journal and are retried with backoff. The journal is drained at start and stop.
/// </summary>
/// <remarks>
/// When the journal cannot be written (disk full, read-only, past <c>JournalMaxBytes</c>) the request still gets its answer:
/// its record is kept in memory and written to the store from there, and <see cref="JournalAvailable"/> (so <c>/readyz</c>)
/// says not ready until a probe append succeeds again. Memory is bounded: past ten times <c>QueueCapacity</c> records are
/// dropped, counted in <see cref="LostRecords"/> and logged. A hosted service: started and stopped (drained) with the host.
/// </remarks>
public sealed partial class LedgerWriter : IAttemptObserver, IHostedService, IAsyncDisposable
{
    private readonly ILedgerStore _store;
    private readonly LedgerJournal _journal;
    private readonly LedgerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<LedgerRecord> _queue = Channel.CreateUnbounded<LedgerRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<LedgerRecord> _held = [];
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task<bool>? _waiting;
    private Task? _loop;
    private long _queued;
    private long _inFlight;
    private long _heldCount;
    private long _lost;
    private int _disposed;
    private bool _storeDown;
    private bool _journalDown;
    private TimeSpan _retryDelay;
    private DateTimeOffset _retryAt;

    public LedgerWriter(ILedgerStore store, LedgerJournal journal, IOptions<LedgerOptions> options, TimeProvider time, ILogger<LedgerWriter> logger)
    {
        _store = store;
        _journal = journal;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _retryDelay = FlushInterval;
        _abort.Token.Register(() => _aborted.TrySetResult());
    }

    /// <summary>Records not yet confirmed in the store (queued, being written, held in memory, or journalled): a gauge for metrics.</summary>
    public long PendingRecords => Interlocked.Read(ref _queued) + Interlocked.Read(ref _inFlight) + Interlocked.Read(ref _heldCount) + _journal.PendingRecords;

    /// <summary>Whether the last write to the store succeeded.</summary>
    public bool StoreAvailable => !Volatile.Read(ref _storeDown);

    /// <summary>Whether the last journal append succeeded; while false, records the journal refused are held in memory.</summary>
    public bool JournalAvailable => !Volatile.Read(ref _journalDown);

    /// <summary>Records dropped because the queue passed its memory bound while neither store nor journal took them.</summary>
    public long LostRecords => Interlocked.Read(ref _lost);

    /// <summary>The journal this writer spills to and drains from.</summary>
    public LedgerJournal Journal => _journal;

    private TimeSpan FlushInterval => TimeSpan.FromMilliseconds(_options.FlushIntervalMs);

    private long MemoryBound => (long)_options.QueueCapacity * 10;

    /// <summary>Queues the attempt's record; never blocks and never throws.</summary>
    public void OnAttempt(AttemptRecord attempt) => Enqueue(LedgerRecord.FromAttempt(attempt));

    /// <summary>Queues a record (a cache hit, say) in memory; never blocks, never waits on a lock or the disk.</summary>
    public void Enqueue(LedgerRecord record)
    {
        if (Interlocked.Read(ref _queued) + Interlocked.Read(ref _heldCount) >= MemoryBound)
        {
            Lose(1, null);
            return;
        }

        if (_queue.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _queued);
            return;
        }

        // Stopped already: journal it without waiting.
        _ = _journal.AppendAsync([record]).ContinueWith(t => Lose(1, t.Exception), CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Journals the record before returning; await it before sending a response's last bytes. When the journal
    /// cannot be written the record is kept in memory instead (see the remarks) and the call still completes.</summary>
    public Task RecordDurablyAsync(LedgerRecord record, CancellationToken cancellationToken = default) =>
        RecordDurablyAsync([record], cancellationToken);

    /// <summary>Journals the records in one flush; see <see cref="RecordDurablyAsync(LedgerRecord, CancellationToken)"/>.</summary>
    public async Task RecordDurablyAsync(IReadOnlyList<LedgerRecord> records, CancellationToken cancellationToken = default)
    {
        try
        {
            await _journal.AppendAsync(records, cancellationToken);
            JournalWorked();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            JournalFailed(records.Count, ex);
            foreach (var record in records)
            {
                Enqueue(record);
            }
        }
    }

    /// <summary>Starts the background loop on its own thread; it first drains what an earlier run left in the journal.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop ??= DedicatedThreadLoop.Start("switchboard-ledger-writer", () => RunAsync(_abort.Token));
        return Task.CompletedTask;
    }

    /// <summary>Writes or journals everything queued, then drains the journal while the store answers; when
    /// <paramref name="cancellationToken"/> fires it journals what is still in memory and stops (the next start drains it).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_loop is null)
        {
            return;
        }

        await using var registration = cancellationToken.Register(() => _abort.Cancel());
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

    private async Task RunAsync(CancellationToken abort)
    {
        var batch = new List<LedgerRecord>(_options.BatchSize);
        try
        {
            while (!abort.IsCancellationRequested)
            {
                var worked = false;
                if (Interlocked.Read(ref _queued) > _options.QueueCapacity)
                {
                    worked |= await SpillAsync(batch);
                }

                Take(batch);
                if (batch.Count > 0)
                {
                    worked = true;
                    await WriteAsync(batch, abort);
                    Interlocked.Add(ref _inFlight, -batch.Count);
                    batch.Clear();
                }

                if (_time.GetUtcNow() >= _retryAt)
                {
                    if (Volatile.Read(ref _journalDown))
                    {
                        await ProbeJournalAsync();
                    }

                    if (_journal.PendingRecords > 0)
                    {
                        worked |= await DrainJournalOnceAsync(abort);
                    }
                }

                if (_queue.Reader.Completion.IsCompleted && Interlocked.Read(ref _heldCount) == 0)
                {
                    break;
                }

                if (!worked)
                {
                    await WaitForWorkAsync();
                }
            }

            // Stopping: drain the journal while the store answers (bounded by the stop token through abort).
            _retryAt = DateTimeOffset.MinValue;
            while (!abort.IsCancellationRequested && _journal.PendingRecords > 0 && await DrainJournalOnceAsync(abort))
            {
            }
        }
        finally
        {
            await JournalRemainingAsync(batch);
        }
    }

    /// <summary>Held records (when their retry is due), then queued ones, up to a batch.</summary>
    private void Take(List<LedgerRecord> batch)
    {
        if (_held.Count > 0 && _time.GetUtcNow() >= _retryAt)
        {
            var n = Math.Min(_held.Count, _options.BatchSize);
            batch.AddRange(_held.GetRange(0, n));
            _held.RemoveRange(0, n);
            Interlocked.Add(ref _heldCount, -n);
            Interlocked.Add(ref _inFlight, n);
        }

        while (batch.Count < _options.BatchSize && _queue.Reader.TryRead(out var record))
        {
            batch.Add(record);
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _inFlight);
        }
    }

    /// <summary>Store first (or, while it is down and not yet due for a retry, the journal); what neither takes is held.</summary>
    private async Task WriteAsync(List<LedgerRecord> batch, CancellationToken abort)
    {
        if ((!Volatile.Read(ref _storeDown) || _time.GetUtcNow() >= _retryAt) && await TryStoreAsync(batch, abort))
        {
            return;
        }

        if (!await TryJournalAsync(batch))
        {
            Hold(batch);
        }
    }

    /// <summary>One segment of the journal into the store; true when it moved forward.</summary>
    private async Task<bool> DrainJournalOnceAsync(CancellationToken abort)
    {
        JournalSegment segment;
        try
        {
            segment = await _journal.ReadPendingAsync(_options.BatchSize, abort);
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
            LogJournalFailed(_logger, 0, ex); // the records are stored; the checkpoint catches up on the next commit
        }

        return true;
    }

    private async Task<bool> TryStoreAsync(IReadOnlyList<LedgerRecord> records, CancellationToken abort)
    {
        try
        {
            await _store.AppendAsync(records, abort);
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

    /// <summary>Until a record is queued, <c>FlushIntervalMs</c> passes or the writer is aborted. Throws nothing: a
    /// cancelled wait would throw an exception five times a second on an idle gateway (seen as exception bursts under load).</summary>
    private async Task WaitForWorkAsync()
    {
        _waiting ??= _queue.Reader.WaitToReadAsync(CancellationToken.None).AsTask();
        await Task.WhenAny(_waiting, Task.Delay(FlushInterval, _time), _aborted.Task);
        if (_waiting.IsCompleted)
        {
            _waiting = null;
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
}
