using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Switchboard.Ledger;

/// <summary>
/// The local append-only journal: one JSON record per line, each append flushed to disk before it returns, so a record the
/// caller awaited survives a crash. A checkpoint file beside it holds the byte offset up to which records are in the store;
/// once everything is drained the file is truncated.
/// </summary>
/// <remarks>On open, a torn last line (a crash mid-append) is cut off; a line that does not parse is skipped and logged.</remarks>
public sealed partial class LedgerJournal : IDisposable
{
    private const long TruncateAbove = 1 << 20;

    private readonly FileStream _file;
    private readonly string _checkpointPath;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly bool _fsync;
    private readonly DiskFlusher _flusher = new("switchboard-ledger-journal");
    private readonly List<PendingAppend> _queue = [];
    private long _checkpoint;
    private long _pendingRecords;

    /// <param name="path">The journal file.</param>
    /// <param name="logger">Where replay and truncation problems are logged.</param>
    /// <param name="fsync">Whether an append waits for the disk (survives a machine crash) or only for the operating system
    /// (survives the gateway's own crash, <c>kill -9</c> included): <see cref="LedgerDurability"/>.</param>
    public LedgerJournal(string path, ILogger<LedgerJournal> logger, bool fsync = true)
    {
        _fsync = fsync;
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        _logger = logger;
        _checkpointPath = Path + ".checkpoint";
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.None);
        CutTornTail();
        _checkpoint = ReadCheckpoint();
        if (_checkpoint > _file.Length)
        {
            _checkpoint = 0; // the file was truncated after the checkpoint was written
        }

        _file.Seek(0, SeekOrigin.End);
        _pendingRecords = CountLines(_checkpoint, _file.Length);
    }

    public string Path { get; }

    /// <summary>Records journalled but not yet confirmed in the store.</summary>
    public long PendingRecords => Interlocked.Read(ref _pendingRecords);

    /// <summary>
    /// Appends the records and hands them to the operating system (and, with fsync on, to the disk) before returning.
    /// Concurrent appends are group-committed: whoever takes the lock writes every append queued so far and pays one
    /// flush for all of them, so durability costs one flush per batch, not per request.
    /// </summary>
    public async Task AppendAsync(IReadOnlyList<LedgerRecord> records, CancellationToken cancellationToken = default)
    {
        if (records.Count == 0)
        {
            return;
        }

        var pending = new PendingAppend(Serialize(records), records.Count);
        lock (_queue)
        {
            _queue.Add(pending);
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (pending.Done.Task.IsCompleted)
            {
                return; // an earlier lock holder already wrote and flushed it
            }

            List<PendingAppend> batch;
            lock (_queue)
            {
                batch = [.. _queue];
                _queue.Clear();
            }

            void Write()
            {
                _file.Seek(0, SeekOrigin.End);
                foreach (var item in batch)
                {
                    _file.Write(item.Bytes);
                }

                _file.Flush(flushToDisk: _fsync);
            }

            // An fsync runs on the flusher's own thread (see DiskFlusher), the lock held meanwhile so appends arriving
            // during the flush queue up and share the next one. A write to the operating system alone takes
            // microseconds: it runs here, without the two thread hand-offs.
            if (_fsync)
            {
                await _flusher.RunAsync(Write);
            }
            else
            {
                Write();
            }

            Interlocked.Add(ref _pendingRecords, batch.Sum(item => item.Count));
            foreach (var item in batch)
            {
                item.Done.TrySetResult();
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private sealed record PendingAppend(byte[] Bytes, int Count)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Appends without waiting (the caller must not block): used when the writer's queue is full.</summary>
    public void Append(LedgerRecord record)
    {
        var bytes = Serialize([record]);
        _lock.Wait();
        try
        {
            _file.Seek(0, SeekOrigin.End);
            _file.Write(bytes);
            _file.Flush(flushToDisk: _fsync);
            Interlocked.Increment(ref _pendingRecords);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Up to <paramref name="max"/> records after the checkpoint, and the offset to commit once they are stored.</summary>
    public async Task<JournalSegment> ReadPendingAsync(int max, CancellationToken cancellationToken = default)
    {
        long start, end;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            start = _checkpoint;
            end = _file.Length;
        }
        finally
        {
            _lock.Release();
        }

        var records = new List<LedgerRecord>();
        var lines = 0;
        var offset = start;
        if (end > start)
        {
            using var reader = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            reader.Seek(start, SeekOrigin.Begin);
            var buffer = new byte[Math.Min(end - start, 4 << 20)];
            var read = await reader.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            var span = buffer.AsSpan(0, read);
            while (records.Count < max)
            {
                var newline = span.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    break;
                }

                lines++;
                var record = Parse(span[..newline], offset);
                if (record is not null)
                {
                    records.Add(record);
                }

                offset += newline + 1;
                span = span[(newline + 1)..];
            }
        }

        return new JournalSegment(records, offset, lines);
    }

    /// <summary>Marks a segment as stored: moves the checkpoint past it and truncates the file once it is all drained.</summary>
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

            _checkpoint = segment.EndOffset;
            Interlocked.Add(ref _pendingRecords, -segment.Lines);
            if (_checkpoint == _file.Length && _file.Length > TruncateAbove)
            {
                _file.SetLength(0);
                _file.Flush(flushToDisk: true);
                _checkpoint = 0;
            }

            WriteCheckpoint(_checkpoint);
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        _flusher.Dispose();
        _file.Dispose();
        _lock.Dispose();
    }

    private static byte[] Serialize(IReadOnlyList<LedgerRecord> records)
    {
        var buffer = new MemoryStream();
        foreach (var record in records)
        {
            JsonSerializer.Serialize(buffer, record, LedgerJsonContext.Default.LedgerRecord);
            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
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

    /// <summary>Cuts a last line without its newline: an append the crash interrupted, never acknowledged to anyone.</summary>
    private void CutTornTail()
    {
        var length = _file.Length;
        if (length == 0)
        {
            return;
        }

        var keep = length;
        var one = new byte[1];
        while (keep > 0)
        {
            _file.Seek(keep - 1, SeekOrigin.Begin);
            _file.ReadExactly(one);
            if (one[0] == (byte)'\n')
            {
                break;
            }

            keep--;
        }

        if (keep != length)
        {
            LogTornTail(_logger, Path, length - keep);
            _file.SetLength(keep);
            _file.Flush(flushToDisk: true);
        }
    }

    private long CountLines(long from, long to)
    {
        long count = 0;
        _file.Seek(from, SeekOrigin.Begin);
        var buffer = new byte[81920];
        var remaining = to - from;
        while (remaining > 0)
        {
            var read = _file.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (read == 0)
            {
                break;
            }

            count += buffer.AsSpan(0, read).Count((byte)'\n');
            remaining -= read;
        }

        return count;
    }

    private long ReadCheckpoint()
    {
        try
        {
            return File.Exists(_checkpointPath) && long.TryParse(File.ReadAllText(_checkpointPath).Trim(), out var offset) ? offset : 0;
        }
        catch (IOException)
        {
            return 0; // replaying from the start is safe: the store ignores records it already has
        }
    }

    private void WriteCheckpoint(long offset)
    {
        var temp = _checkpointPath + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.ASCII.GetBytes(offset.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, _checkpointPath, overwrite: true);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Ledger journal {Path}: cut a torn last line of {Bytes} bytes left by a crash")]
    private static partial void LogTornTail(ILogger logger, string path, long bytes);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Ledger journal {Path}: skipped an unreadable line at offset {Offset}")]
    private static partial void LogBadLine(ILogger logger, string path, long offset, Exception exception);
}
