using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Switchboard.Ledger;

/// <summary>The journal's writer thread: takes every queued record as one group, serialises it into one pooled buffer,
/// writes it with one write and one flush (or fsync), and hands it to the store loop or back as refused.</summary>
public sealed partial class LedgerJournal
{
    private void Wake()
    {
        if (Interlocked.Exchange(ref _wakeRequested, 1) == 0)
        {
            _wake.Set();
        }
    }

    private void RunWriter()
    {
        while (true)
        {
            _wake.Wait();
            _wake.Reset();
            Volatile.Write(ref _wakeRequested, 0);
            WriteGroup();
            if (Volatile.Read(ref _closing) != 0 && _incoming.IsEmpty)
            {
                return;
            }
        }
    }

    /// <summary>One group: everything queued, in one write and one flush; then its waiters and the consumer hear of it.</summary>
    private void WriteGroup()
    {
        var done = Interlocked.Exchange(ref _nextGroup, NewGroup());
        var records = new List<LedgerRecord>();
        while (_incoming.TryDequeue(out var record))
        {
            records.Add(record);
        }

        var probe = Interlocked.Exchange(ref _probe, 0) == 1;
        if (records.Count == 0 && !probe)
        {
            done.TrySetResult(null);
            return;
        }

        Exception? failure = null;
        try
        {
            Serialize(records);
            BeforeGroupWrite?.Invoke();
            long start;
            lock (_fileLock)
            {
                start = Write(records.Count);
            }

            Interlocked.Increment(ref _commits);
            _consumer?.OnJournalled(new JournalChunk(records, start, start + _buffer.WrittenCount));
        }
        catch (Exception ex)
        {
            failure = ex;
            Volatile.Write(ref _lastFailure, ex);
            Interlocked.Increment(ref _failedGroups); // before this group (and so any later one) completes: see WrittenAsync
            _consumer?.OnRefused(records, ex);
        }
        finally
        {
            _buffer.Clear();
            Interlocked.Add(ref _queued, -records.Count);
            done.TrySetResult(failure);
        }
    }

    /// <summary>Writes the buffer at the end of the file (the file lock held) and returns where it starts.</summary>
    private long Write(int records)
    {
        var bytes = _buffer.WrittenCount;
        var at = _length - _base;
        if (at + bytes > _maxBytes)
        {
            throw new JournalFullException(Path, _length - _checkpoint, _maxBytes);
        }

        try
        {
            RandomAccess.Write(_file.SafeFileHandle, _buffer.WrittenMemory.Span, at);
            if (_fsync)
            {
                _file.Flush(flushToDisk: true);
            }
        }
        catch (Exception)
        {
            TryCut(at);
            throw;
        }

        var start = _length;
        Interlocked.Exchange(ref _length, start + bytes);
        Interlocked.Add(ref _pendingRecords, records);
        return start;
    }

    /// <summary>Serialises the group into the buffer, a line per record (an empty line alone for a probe, which is no record).</summary>
    private void Serialize(List<LedgerRecord> records)
    {
        if (records.Count == 0)
        {
            _buffer.Write((byte)'\n');
            return;
        }

        foreach (var record in records)
        {
            _json.Reset();
            JsonSerializer.Serialize(_json, record, LedgerJsonContext.Default.LedgerRecord);
            _json.Flush();
            _buffer.Write((byte)'\n');
        }
    }
}
