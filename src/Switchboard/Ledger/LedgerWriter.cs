using Microsoft.Extensions.Hosting;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Chat;

namespace Switchboard.Ledger;

/// <summary>
/// Records attempts off the request path: <see cref="OnAttempt"/> queues them (or journals them when the queue is full),
/// <see cref="RecordDurablyAsync(LedgerRecord, CancellationToken)"/> journals and flushes a record before the caller goes on,
/// and a background loop writes both into the store in batches (every <c>FlushIntervalMs</c> or <c>BatchSize</c> records).
/// While the store is down, records wait in the journal and are retried with backoff; the journal is drained at start and stop.
/// </summary>
/// <remarks>A hosted service: started and stopped (drained) with the host.</remarks>
public sealed partial class LedgerWriter : IAttemptObserver, IHostedService, IAsyncDisposable
{
    private readonly ILedgerStore _store;
    private readonly LedgerJournal _journal;
    private readonly LedgerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<LedgerRecord> _queue;
    private readonly CancellationTokenSource _abort = new();
    private Task? _loop;
    private long _inFlight;
    private int _disposed;
    private bool _storeDown;
    private TimeSpan _retryDelay;
    private DateTimeOffset _retryAt;

    public LedgerWriter(ILedgerStore store, LedgerJournal journal, IOptions<LedgerOptions> options, TimeProvider time, ILogger<LedgerWriter> logger)
    {
        _store = store;
        _journal = journal;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<LedgerRecord>(new BoundedChannelOptions(_options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: the record then goes to the journal
            SingleReader = true,
        });
        _retryDelay = FlushInterval;
    }

    /// <summary>Records not yet confirmed in the store (queued, being written, or journalled): a gauge for metrics.</summary>
    public long PendingRecords => _queue.Reader.Count + Interlocked.Read(ref _inFlight) + _journal.PendingRecords;

    /// <summary>Whether the last write to the store succeeded.</summary>
    public bool StoreAvailable => !Volatile.Read(ref _storeDown);

    private TimeSpan FlushInterval => TimeSpan.FromMilliseconds(_options.FlushIntervalMs);

    /// <summary>Queues the attempt's record; never blocks on the store and never throws.</summary>
    public void OnAttempt(AttemptRecord attempt) => Enqueue(LedgerRecord.FromAttempt(attempt));

    /// <summary>Queues a record (a cache hit, say); when the queue is full the record is journalled instead.</summary>
    public void Enqueue(LedgerRecord record)
    {
        if (_queue.Writer.TryWrite(record))
        {
            return;
        }

        try
        {
            _journal.Append(record);
        }
        catch (Exception ex)
        {
            LogLost(_logger, record.RequestId, record.AttemptNumber, ex);
        }
    }

    /// <summary>Journals the record and flushes it to disk; await it before sending a response's last bytes.</summary>
    public Task RecordDurablyAsync(LedgerRecord record, CancellationToken cancellationToken = default) =>
        _journal.AppendAsync([record], cancellationToken);

    /// <summary>Journals the records in one flush; await it before sending a response's last bytes.</summary>
    public Task RecordDurablyAsync(IReadOnlyList<LedgerRecord> records, CancellationToken cancellationToken = default) =>
        _journal.AppendAsync(records, cancellationToken);

    /// <summary>Starts the background loop, which first drains what an earlier run left in the journal.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop ??= Task.Run(() => RunAsync(_abort.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Writes what is queued, then drains the journal while the store answers; gives up when
    /// <paramref name="cancellationToken"/> fires (the journal keeps the rest for the next start).</summary>
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
        while (!abort.IsCancellationRequested)
        {
            var worked = false;
            while (batch.Count < _options.BatchSize && _queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
                Interlocked.Increment(ref _inFlight);
            }

            if (batch.Count > 0)
            {
                worked = true;
                await WriteQueuedAsync(batch, abort);
                Interlocked.Add(ref _inFlight, -batch.Count);
                batch.Clear();
            }

            if (_journal.PendingRecords > 0 && _time.GetUtcNow() >= _retryAt)
            {
                worked |= await DrainJournalOnceAsync(abort);
            }

            if (_queue.Reader.Completion.IsCompleted)
            {
                break;
            }

            if (!worked)
            {
                await WaitForWorkAsync(abort);
            }
        }

        // Stopping: drain the journal while the store answers (bounded by the stop token through abort).
        _retryAt = DateTimeOffset.MinValue;
        while (!abort.IsCancellationRequested && _journal.PendingRecords > 0 && await DrainJournalOnceAsync(abort))
        {
        }
    }

    private async Task WriteQueuedAsync(List<LedgerRecord> batch, CancellationToken abort)
    {
        if (!Volatile.Read(ref _storeDown) && await TryStoreAsync(batch, abort))
        {
            return;
        }

        try
        {
            await _journal.AppendAsync(batch, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogJournalFailed(_logger, batch.Count, ex);
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

        if (segment.Lines == 0)
        {
            return false;
        }

        if (segment.Records.Count > 0 && !await TryStoreAsync(segment.Records, abort))
        {
            return false;
        }

        await _journal.CommitAsync(segment, CancellationToken.None);
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

    private async Task WaitForWorkAsync(CancellationToken abort)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(abort);
        wait.CancelAfter(FlushInterval);
        try
        {
            await _queue.Reader.WaitToReadAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Ledger store unavailable; {Count} records journalled locally and retried with backoff")]
    private static partial void LogStoreDown(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Ledger store reachable again; draining {Pending} journalled records")]
    private static partial void LogStoreRecovered(ILogger logger, long pending);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Ledger journal write failed for {Count} records")]
    private static partial void LogJournalFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Ledger record {RequestId}#{Attempt} lost: the queue is full and the journal failed")]
    private static partial void LogLost(ILogger logger, string requestId, int attempt, Exception exception);
}
