namespace Switchboard.Ledger;

/// <summary>The writer's overflow paths: spilling the queue to the journal, holding what the journal refuses, and the last
/// journalling when stopping.</summary>
public sealed partial class LedgerWriter
{
    /// <summary>The store is not keeping up: moves the queue's excess, oldest first, into the journal.</summary>
    private async Task<bool> SpillAsync(List<LedgerRecord> batch)
    {
        var spilled = false;
        while (Interlocked.Read(ref _queued) > _options.QueueCapacity / 2 && !Volatile.Read(ref _journalDown))
        {
            Take(batch);
            var ok = await TryJournalAsync(batch);
            if (!ok)
            {
                Hold(batch);
            }

            Interlocked.Add(ref _inFlight, -batch.Count);
            batch.Clear();
            spilled = true;
            if (!ok)
            {
                break;
            }
        }

        if (spilled)
        {
            LogSpilled(_logger, _journal.PendingRecords);
        }

        return spilled;
    }

    private async Task<bool> TryJournalAsync(List<LedgerRecord> records)
    {
        try
        {
            await _journal.AppendAsync(records, CancellationToken.None);
            JournalWorked();
            return true;
        }
        catch (Exception ex)
        {
            JournalFailed(records.Count, ex);
            return false;
        }
    }

    private async Task ProbeJournalAsync()
    {
        try
        {
            await _journal.ProbeAsync(CancellationToken.None);
            JournalWorked();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _retryAt = _time.GetUtcNow() + _retryDelay;
        }
    }

    private void Hold(List<LedgerRecord> batch)
    {
        var room = (int)Math.Max(0, MemoryBound - Interlocked.Read(ref _queued) - _held.Count);
        var keep = Math.Min(room, batch.Count);
        _held.AddRange(batch.GetRange(0, keep));
        Interlocked.Add(ref _heldCount, keep);
        if (keep < batch.Count)
        {
            Lose(batch.Count - keep, null);
        }

        _retryAt = _time.GetUtcNow() + _retryDelay;
        _retryDelay = TimeSpan.FromMilliseconds(Math.Min(_retryDelay.TotalMilliseconds * 2, _options.MaxRetryDelayMs));
    }

    /// <summary>Last resort when stopping: everything still in memory goes to the journal.</summary>
    private async Task JournalRemainingAsync(List<LedgerRecord> batch)
    {
        var rest = new List<LedgerRecord>(batch);
        Interlocked.Add(ref _inFlight, -batch.Count);
        batch.Clear();
        rest.AddRange(_held);
        Interlocked.Add(ref _heldCount, -_held.Count);
        _held.Clear();
        while (_queue.Reader.TryRead(out var record))
        {
            rest.Add(record);
            Interlocked.Decrement(ref _queued);
        }

        if (rest.Count > 0 && !await TryJournalAsync(rest))
        {
            Lose(rest.Count, null);
        }
    }
}
