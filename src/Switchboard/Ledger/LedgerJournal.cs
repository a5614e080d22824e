using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Switchboard.Ledger;

/// <summary>
/// The local append-only journal, the ledger's one write path: one JSON record per line. Records are handed over with
/// <see cref="Append"/> (no lock, no disk) and written by one dedicated thread with group commit: it takes everything queued,
/// serialises it into one pooled buffer, writes it in one write, flushes once (an fsync with <see cref="LedgerDurability.Fsync"/>),
/// then completes every waiter of that group (<see cref="AppendAsync"/>, <see cref="LedgerWriter.FlushAsync"/>). A checkpoint
/// file beside it holds the offset up to which records are confirmed in the store; drained space is reclaimed by truncating
/// the file or compacting its undrained tail, so the file stays within <see cref="MaxBytes"/>.
/// </summary>
/// <remarks>
/// Positions (<see cref="JournalSegment.EndOffset"/>) are logical: they only grow, across truncations and compactions.
/// <see cref="ReadPendingAsync"/> and <see cref="CommitAsync"/> belong to one reader (the <see cref="LedgerWriter"/>'s store
/// loop). A failed write completes its group's waiters with the failure and leaves the file as it was. On open, a torn last
/// line (a crash mid-write) is cut off; a line that does not parse is skipped and logged.
/// </remarks>
public sealed partial class LedgerJournal : IDisposable
{
    private const long TruncateAbove = 1 << 20;
    private const long CompactAbove = 8 << 20;
    private const long CompactTailMax = 1 << 20;

    private readonly ILogger _logger;
    private readonly object _fileLock = new();
    private readonly bool _fsync;
    private readonly long _maxBytes;
    private readonly ConcurrentQueue<LedgerRecord> _incoming = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Thread _thread;
    private readonly PooledBufferWriter _buffer = new(64 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly JournalCheckpoint _checkpointFile;
    private TaskCompletionSource<Exception?> _nextGroup = NewGroup();
    private IJournalConsumer? _consumer;
    private FileStream _file;
    private long _base;        // the logical position of the file's first byte
    private long _length;      // logical end of what is written
    private long _checkpoint;  // logical end of what the store confirmed
    private long _pendingRecords;
    private long _queued;
    private long _commits;
    private int _wakeRequested;
    private int _probe;
    private long _failedGroups;
    private Exception? _lastFailure;
    private int _closing;

    /// <param name="path">The journal file.</param>
    /// <param name="logger">Where replay and truncation problems are logged.</param>
    /// <param name="fsync">Whether a group waits for the disk (survives a machine crash) or only for the operating system
    /// (survives the gateway's own crash, <c>kill -9</c> included): <see cref="LedgerDurability"/>.</param>
    /// <param name="maxBytes">Writes fail with <see cref="JournalFullException"/> once the file would exceed this.</param>
    /// <param name="time">Unused; kept for the callers that pass the host's clock.</param>
    public LedgerJournal(string path, ILogger<LedgerJournal> logger, bool fsync = true, long maxBytes = LedgerDefaults.JournalMaxBytes,
        TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _ = time;
        _fsync = fsync;
        _maxBytes = maxBytes;
        Path = System.IO.Path.GetFullPath(path);
        _logger = logger;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _file = Open(Path);
        var torn = JournalFiles.CutTornTail(_file);
        if (torn > 0)
        {
            LogTornTail(_logger, Path, torn);
        }

        _length = _file.Length;
        _checkpointFile = new JournalCheckpoint(Path + ".checkpoint");
        _checkpoint = _checkpointFile.Saved;
        if (_checkpoint > _length)
        {
            _checkpoint = 0; // the file was truncated after the checkpoint was written
        }

        _pendingRecords = JournalFiles.CountRecordLines(_file, _checkpoint, _length);
        _json = new Utf8JsonWriter(_buffer);
        _thread = new Thread(RunWriter) { IsBackground = true, Name = "switchboard-ledger-journal" };
        _thread.Start();
    }

    public string Path { get; }

    /// <summary>Records (lines) journalled but not yet confirmed in the store.</summary>
    public long PendingRecords => Interlocked.Read(ref _pendingRecords);

    /// <summary>Bytes of records journalled but not yet confirmed in the store.</summary>
    public long PendingBytes => Math.Max(0, Interlocked.Read(ref _length) - Interlocked.Read(ref _checkpoint));

    /// <summary>The configured bound of the journal file's size.</summary>
    public long MaxBytes => _maxBytes;

    /// <summary>Records handed over with <see cref="Append"/> whose group has not been written (or refused) yet.</summary>
    public long QueuedRecords => Interlocked.Read(ref _queued);

    /// <summary>Groups written so far, each with one write and one flush (or fsync): with many concurrent appenders, far
    /// fewer than the records.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>The logical position up to which records are confirmed in the store.</summary>
    internal long Checkpoint => Interlocked.Read(ref _checkpoint);

    /// <summary>A test seam: runs on the journal thread before each group's write.</summary>
    internal Action? BeforeGroupWrite { get; set; }

    /// <summary>Hands the record to the journal thread; never blocks. False once the journal is disposed.</summary>
    public bool Append(LedgerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Volatile.Read(ref _closing) != 0)
        {
            return false;
        }

        Interlocked.Increment(ref _queued); // before the enqueue: a flush that follows counts it (see FlushGroupAsync)
        _incoming.Enqueue(record);
        Wake();
        return true;
    }

    /// <summary>
    /// Appends the records and returns once their group is written (and, with fsync on, on the disk).
    /// </summary>
    /// <exception cref="IOException">The write failed (disk full, read-only, I/O error); nothing of the group counts as written.</exception>
    /// <exception cref="JournalFullException">The journal already holds <see cref="MaxBytes"/>.</exception>
    public async Task AppendAsync(IReadOnlyList<LedgerRecord> records, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0)
        {
            return;
        }

        var failedBefore = Interlocked.Read(ref _failedGroups);
        foreach (var record in records)
        {
            ObjectDisposedException.ThrowIf(!Append(record), this);
        }

        await WrittenAsync(failedBefore, cancellationToken);
    }

    /// <summary>Writes an empty line (skipped when drained): tells whether the journal can be written again after a failure.</summary>
    public Task ProbeAsync(CancellationToken cancellationToken = default)
    {
        var failedBefore = Interlocked.Read(ref _failedGroups);
        Volatile.Write(ref _probe, 1);
        return WrittenAsync(failedBefore, cancellationToken);
    }

    /// <summary>
    /// Waits for the group <see cref="FlushGroupAsync"/> names and throws a failure. That group may be a later one than the
    /// group that took the caller's records (the journal thread may swap groups between the caller's append and its read),
    /// and an empty or successful later group says nothing of an earlier one: so a group that failed since the caller
    /// counted <paramref name="failedBefore"/> fails the caller too. At worst that reports a failure for records another
    /// group wrote, never a write for records a failed group refused.
    /// </summary>
    private async Task WrittenAsync(long failedBefore, CancellationToken cancellationToken)
    {
        if (await FlushGroupAsync().WaitAsync(cancellationToken) is { } failure)
        {
            throw failure;
        }

        if (Interlocked.Read(ref _failedGroups) != failedBefore && Volatile.Read(ref _lastFailure) is { } earlier)
        {
            throw earlier;
        }
    }

    /// <summary>
    /// Completes when every record appended before the call has been written or refused: with null, or with the failure of a
    /// group that was refused. Never faults.
    /// </summary>
    /// <remarks>
    /// Appends count themselves before they enqueue, and the journal thread swaps this task out before it drains the queue;
    /// so a caller whose append returned before it read the task finds its record in the group that completes it, or in an
    /// earlier one.
    /// </remarks>
    internal Task<Exception?> FlushGroupAsync()
    {
        if (Volatile.Read(ref _closing) != 0 && _thread.Join(0))
        {
            return Task.FromResult<Exception?>(null);
        }

        var group = Volatile.Read(ref _nextGroup).Task;
        Wake();
        return group;
    }

    /// <summary>Who receives each written group (to store it from memory) and each refused one (to hold it).</summary>
    internal void Attach(IJournalConsumer consumer) => _consumer = consumer;

    /// <summary>Up to <paramref name="max"/> records after the checkpoint, and the position to commit once they are stored.
    /// Reads only as far as it parses, in pooled chunks.</summary>
    public Task<JournalSegment> ReadPendingAsync(int max, CancellationToken cancellationToken = default)
    {
        long fileStart, fileEnd, logicalBase;
        FileStream file;
        lock (_fileLock)
        {
            logicalBase = _base;
            fileStart = _checkpoint - _base;
            fileEnd = _length - _base;
            file = _file;
        }

        var segment = JournalReader.Read(file.SafeFileHandle, fileStart, fileEnd, max, (line, offset) => Parse(line, offset), cancellationToken);
        return Task.FromResult(segment with { EndOffset = segment.EndOffset + logicalBase });
    }

    /// <summary>Marks a segment as stored: moves the checkpoint past it (written in place at once, so a crash replays only what
    /// the store has not confirmed) and reclaims the drained space once there is enough of it.</summary>
    public Task CommitAsync(JournalSegment segment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segment);
        Commit(segment.EndOffset, segment.Lines);
        return Task.CompletedTask;
    }

    internal void Commit(long end, int lines)
    {
        long compactFrom, compactTo;
        lock (_fileLock)
        {
            if (end <= _checkpoint)
            {
                return;
            }

            Interlocked.Exchange(ref _checkpoint, end);
            Interlocked.Add(ref _pendingRecords, -lines);
            var fileLength = _length - _base;
            if (_checkpoint == _length && fileLength > Math.Min(TruncateAbove, _maxBytes / 8))
            {
                // First, so a crash in between replays (harmlessly) rather than skips. To the disk only with fsync durability: the
                // journal lock is held, so every append waits for this; a process crash never loses what the kernel has.
                _checkpointFile.Write(0, flushToDisk: _fsync);
                _file.SetLength(0);
                _base = _length;
                return;
            }

            _checkpointFile.Write(_checkpoint - _base, flushToDisk: false);
            compactFrom = _checkpoint - _base;
            compactTo = fileLength;
            var tail = compactTo - compactFrom;
            if (compactFrom < Math.Min(CompactAbove, _maxBytes / 4) || (tail > CompactTailMax && fileLength <= _maxBytes / 2))
            {
                return;
            }
        }

        Compact(compactFrom, compactTo);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        Wake();
        _thread.Join();
        WriteGroup(); // an append that raced the close
        try
        {
            lock (_fileLock)
            {
                _checkpointFile.Write(_checkpoint - _base, flushToDisk: true);
            }
        }
        catch (IOException ex)
        {
            LogCheckpointFailed(_logger, Path, ex);
        }

        _json.Dispose();
        _buffer.Dispose();
        _checkpointFile.Dispose();
        _file.Dispose();
        _wake.Dispose();
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

    /// <summary>
    /// Moves the undrained tail into a fresh file that replaces the journal. The bulk is copied without the lock (the file is
    /// append-only below its length); what the journal thread added meanwhile is copied with it, then checkpoint 0 is saved
    /// and the new file renamed over the old one.
    /// </summary>
    private void Compact(long from, long to)
    {
        var target = Path + ".compact";
        try
        {
            using var copy = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
            JournalFiles.CopyTail(_file, from, to, copy);
            lock (_fileLock)
            {
                var end = _length - _base;
                JournalFiles.CopyTail(_file, to, end, copy);
                copy.Flush(flushToDisk: _fsync);
                copy.Dispose();
                _checkpointFile.Write(0, flushToDisk: _fsync);
                File.Move(target, Path, overwrite: true);
                var old = _file;
                _file = Open(Path);
                old.Dispose();
                _base += from;
            }
        }
        catch (IOException ex)
        {
            LogCompactFailed(_logger, Path, ex); // the journal goes on in the old file; the next commit tries again
        }
    }

    private static TaskCompletionSource<Exception?> NewGroup() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static FileStream Open(string path) =>
        new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, FileOptions.None);

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

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Ledger journal {Path}: cut a torn last line of {Bytes} bytes left by a crash")]
    private static partial void LogTornTail(ILogger logger, string path, long bytes);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Ledger journal {Path}: skipped an unreadable line at offset {Offset}")]
    private static partial void LogBadLine(ILogger logger, string path, long offset, Exception exception);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Error, Message = "Ledger journal {Path}: could not cut a failed write back to {Length} bytes")]
    private static partial void LogCutFailed(ILogger logger, string path, long length, Exception exception);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Ledger journal {Path}: could not save the checkpoint (the next start replays more)")]
    private static partial void LogCheckpointFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Ledger journal {Path}: could not compact the drained space (tried again later)")]
    private static partial void LogCompactFailed(ILogger logger, string path, Exception exception);
}

/// <summary>One written group: its records and the logical positions it occupies in the journal.</summary>
internal sealed record JournalChunk(List<LedgerRecord> Records, long Start, long End);

/// <summary>Hears from the journal thread about each group: written (store it) or refused (hold it in memory).</summary>
internal interface IJournalConsumer
{
    void OnJournalled(JournalChunk chunk);

    void OnRefused(List<LedgerRecord> records, Exception failure);
}
