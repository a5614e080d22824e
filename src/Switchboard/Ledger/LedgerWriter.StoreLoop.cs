using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Chat;

namespace Switchboard.Ledger;

/// <summary>The store loop: on its own thread, stores what the journal wrote (by position, checkpoint per batch) and what it
/// refused (held in memory), retries the store with backoff, and probes a failed journal.</summary>
public sealed partial class LedgerWriter
{
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
        var checkpoint = _journal.Checkpoint;
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

        if (segment.EndOffset <= checkpoint || (segment.Records.Count > 0 && !await TryStoreAsync(segment.Records, abort)))
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
                var lines = first.Records.Count;
                List<LedgerRecord>? records = null;
                foreach (var chunk in _written.Skip(1))
                {
                    if (chunk.Start != end || lines + chunk.Records.Count > _options.BatchSize)
                    {
                        break;
                    }

                    records ??= [.. first.Records];
                    records.AddRange(chunk.Records);
                    end = chunk.End;
                    lines += chunk.Records.Count;
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
}
