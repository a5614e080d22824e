using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Switchboard.Ledger;

/// <summary>
/// The local append-only journal: one JSON record per line, each append handed to the operating system (or the disk) before
/// it returns, so a record the caller awaited survives a crash. A checkpoint file beside it holds the byte offset up to which
/// records are in the store; drained space is reclaimed by truncating the file or compacting its undrained tail.
/// </summary>
/// <remarks>
/// Appends may come from any thread and are group-committed; every lock wait is asynchronous (mixing <c>Wait</c> and
/// <c>WaitAsync</c> on one semaphore starved the thread pool under load). <see cref="ReadPendingAsync"/> and
/// <see cref="CommitAsync"/> belong to one reader (the <see cref="LedgerWriter"/>'s loop). A failed append faults every caller
/// of its batch and leaves the file as it was. On open, a torn last line (a crash mid-append) is cut off; a line that does not
/// parse is skipped and logged.
/// </remarks>
public sealed partial class LedgerJournal : IDisposable
{
    private const long TruncateAbove = 1 << 20;
    private const long CompactAbove = 8 << 20;
    private const long CompactTailMax = 1 << 20;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    private readonly string _checkpointPath;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly bool _fsync;
    private readonly long _maxBytes;
    private readonly DiskFlusher _flusher = new("switchboard-ledger-journal");
    private readonly List<PendingAppend> _queue = [];
    private FileStream _file;
    private long _length;
    private long _checkpoint;
    private long _savedCheckpoint;
    private DateTimeOffset _savedAt;
    private long _pendingRecords;

    /// <param name="path">The journal file.</param>
    /// <param name="logger">Where replay and truncation problems are logged.</param>
    /// <param name="fsync">Whether an append waits for the disk (survives a machine crash) or only for the operating system
    /// (survives the gateway's own crash, <c>kill -9</c> included): <see cref="LedgerDurability"/>.</param>
    /// <param name="maxBytes">Appends fail with <see cref="JournalFullException"/> once the undrained records would exceed this.</param>
    /// <param name="time">The clock of the periodic checkpoint write.</param>
    public LedgerJournal(string path, ILogger<LedgerJournal> logger, bool fsync = true, long maxBytes = LedgerDefaults.JournalMaxBytes,
        TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _fsync = fsync;
        _maxBytes = maxBytes;
        _time = time ?? TimeProvider.System;
        Path = System.IO.Path.GetFullPath(path);
        _logger = logger;
        _checkpointPath = Path + ".checkpoint";
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _file = Open(Path);
        var torn = JournalFiles.CutTornTail(_file);
        if (torn > 0)
        {
            LogTornTail(_logger, Path, torn);
        }

        _length = _file.Length;
        _checkpoint = _savedCheckpoint = JournalFiles.ReadCheckpoint(_checkpointPath);
        if (_checkpoint > _length)
        {
            _checkpoint = 0; // the file was truncated after the checkpoint was written
        }

        _savedAt = DateTimeOffset.MinValue; // the first commit saves the checkpoint
        _pendingRecords = JournalFiles.CountLines(_file, _checkpoint, _length);
    }

    public string Path { get; }

    /// <summary>Records journalled but not yet confirmed in the store.</summary>
    public long PendingRecords => Interlocked.Read(ref _pendingRecords);

    /// <summary>Bytes of records journalled but not yet confirmed in the store.</summary>
    public long PendingBytes => Math.Max(0, Interlocked.Read(ref _length) - Interlocked.Read(ref _checkpoint));

    /// <summary>The configured bound of <see cref="PendingBytes"/>.</summary>
    public long MaxBytes => _maxBytes;

    /// <summary>
    /// Appends the records and hands them to the operating system (and, with fsync on, to the disk) before returning.
    /// Concurrent appends are group-committed: whoever takes the lock writes every append queued so far in one gathered
    /// write and pays one flush for all of them. When that write fails, every append of the batch fails with it.
    /// </summary>
    /// <exception cref="IOException">The write failed (disk full, read-only, I/O error); nothing of the batch counts as written.</exception>
    /// <exception cref="JournalFullException">The journal already holds <see cref="MaxBytes"/> of undrained records.</exception>
    public async Task AppendAsync(IReadOnlyList<LedgerRecord> records, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0)
        {
            return;
        }

        await EnqueueAndWriteAsync(new PendingAppend(Serialize(records), records.Count), cancellationToken);
    }

    /// <summary>Appends an empty line (skipped when drained): tells whether the journal can be written again after a failure.</summary>
    public async Task ProbeAsync(CancellationToken cancellationToken = default)
    {
        var line = new PooledBufferWriter(1);
        line.Write((byte)'\n');
        await EnqueueAndWriteAsync(new PendingAppend(line, 1), cancellationToken);
    }

    /// <summary>Up to <paramref name="max"/> records after the checkpoint, and the offset to commit once they are stored.
    /// Reads only as far as it parses, in pooled chunks.</summary>
    public Task<JournalSegment> ReadPendingAsync(int max, CancellationToken cancellationToken = default) =>
        Task.FromResult(JournalReader.Read(_file.SafeFileHandle, Interlocked.Read(ref _checkpoint), Interlocked.Read(ref _length), max,
            (line, offset) => Parse(line, offset), cancellationToken));

    /// <summary>Marks a segment as stored: moves the checkpoint past it (saved to disk about once a second: a crash then replays
    /// at most that much, which the store ignores) and reclaims the drained space once there is enough of it.</summary>
    public async Task CommitAsync(JournalSegment segment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segment);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (segment.EndOffset <= _checkpoint)
            {
                return;
            }

            Interlocked.Exchange(ref _checkpoint, segment.EndOffset);
            Interlocked.Add(ref _pendingRecords, -segment.Lines);
            if (_checkpoint == _length && _length > TruncateAbove)
            {
                SaveCheckpoint(0); // first, so a crash in between replays (harmlessly) rather than skips
                _file.SetLength(0);
                Interlocked.Exchange(ref _length, 0);
                Interlocked.Exchange(ref _checkpoint, 0);
            }
            else if (_checkpoint >= CompactAbove && _length - _checkpoint <= CompactTailMax)
            {
                Compact();
            }
            else if (_time.GetUtcNow() - _savedAt >= CheckpointInterval)
            {
                SaveCheckpoint(_checkpoint);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        _flusher.Dispose();
        try
        {
            if (_checkpoint != _savedCheckpoint)
            {
                SaveCheckpoint(_checkpoint);
            }
        }
        catch (IOException ex)
        {
            LogCheckpointFailed(_logger, Path, ex);
        }

        _file.Dispose();
        _lock.Dispose();
    }

    private async Task EnqueueAndWriteAsync(PendingAppend pending, CancellationToken cancellationToken)
    {
        lock (_queue)
        {
            _queue.Add(pending);
        }

        await _lock.WaitAsync(CancellationToken.None); // once queued, the append is written or faulted: never abandoned
        try
        {
            if (!pending.Done.Task.IsCompleted)
            {
                await WriteQueuedAsync();
            }
        }
        finally
        {
            _lock.Release();
        }

        await pending.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task WriteQueuedAsync()
    {
        List<PendingAppend> batch;
        lock (_queue)
        {
            batch = [.. _queue];
            _queue.Clear();
        }

        var bytes = 0L;
        var count = 0;
        var buffers = new ReadOnlyMemory<byte>[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            buffers[i] = batch[i].Bytes.WrittenMemory;
            bytes += buffers[i].Length;
            count += batch[i].Count;
        }

        try
        {
            if (_length - _checkpoint + bytes > _maxBytes)
            {
                throw new JournalFullException(Path, _length - _checkpoint, _maxBytes);
            }

            var at = _length;
            void Write()
            {
                try
                {
                    RandomAccess.Write(_file.SafeFileHandle, buffers, at);
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
            }

            // An fsync runs on the flusher's own thread (see DiskFlusher), the lock held meanwhile so appends arriving during
            // the flush queue up and share the next one. A write to the operating system alone takes microseconds: it runs here.
            if (_fsync)
            {
                await _flusher.RunAsync(Write);
            }
            else
            {
                Write();
            }

            Interlocked.Exchange(ref _length, at + bytes);
            Interlocked.Add(ref _pendingRecords, count);
            foreach (var item in batch)
            {
                item.Done.TrySetResult();
            }
        }
        catch (Exception ex)
        {
            foreach (var item in batch)
            {
                item.Done.TrySetException(ex);
            }
        }
        finally
        {
            foreach (var item in batch)
            {
                item.Bytes.Dispose();
            }
        }
    }

    /// <summary>Cuts what a failed write may have left after <paramref name="length"/>, so no half record stays in the file.</summary>
    private void TryCut(long length)
    {
        try
        {
            if (_file.Length > length)
            {
                _file.SetLength(length);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            LogCutFailed(_logger, Path, length, ex);
        }
    }

    /// <summary>Moves the undrained tail into a fresh file that replaces the journal; checkpoint 0 is saved first.</summary>
    private void Compact()
    {
        var target = Path + ".compact";
        JournalFiles.CopyTail(_file, _checkpoint, _length, target);
        SaveCheckpoint(0);
        File.Move(target, Path, overwrite: true);
        var old = _file;
        _file = Open(Path);
        old.Dispose();
        Interlocked.Exchange(ref _length, _file.Length);
        Interlocked.Exchange(ref _checkpoint, 0);
    }

    private void SaveCheckpoint(long offset)
    {
        JournalFiles.WriteCheckpoint(_checkpointPath, offset);
        _savedCheckpoint = offset;
        _savedAt = _time.GetUtcNow();
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, FileOptions.None);

    private static PooledBufferWriter Serialize(IReadOnlyList<LedgerRecord> records)
    {
        var buffer = new PooledBufferWriter(512 * records.Count);
        using var json = new Utf8JsonWriter(buffer);
        foreach (var record in records)
        {
            JsonSerializer.Serialize(json, record, LedgerJsonContext.Default.LedgerRecord);
            json.Flush();
            json.Reset();
            buffer.Write((byte)'\n');
        }

        return buffer;
    }

    private LedgerRecord? Parse(ReadOnlySpan<byte> line, long offset)
    {
        if (line.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(line, LedgerJsonContext.Default.LedgerRecord);
        }
        catch (JsonException ex)
        {
            LogBadLine(_logger, Path, offset, ex);
            return null;
        }
    }

    private sealed record PendingAppend(PooledBufferWriter Bytes, int Count)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Ledger journal {Path}: cut a torn last line of {Bytes} bytes left by a crash")]
    private static partial void LogTornTail(ILogger logger, string path, long bytes);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Ledger journal {Path}: skipped an unreadable line at offset {Offset}")]
    private static partial void LogBadLine(ILogger logger, string path, long offset, Exception exception);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Error, Message = "Ledger journal {Path}: could not cut a failed write back to {Length} bytes")]
    private static partial void LogCutFailed(ILogger logger, string path, long length, Exception exception);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Ledger journal {Path}: could not save the checkpoint (the next start replays more)")]
    private static partial void LogCheckpointFailed(ILogger logger, string path, Exception exception);
}
