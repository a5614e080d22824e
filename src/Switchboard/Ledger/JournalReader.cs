using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Switchboard.Ledger;

/// <summary>Reads journal lines from an offset in pooled 64 KiB chunks, parsing as it goes and reading no further than it needs.</summary>
internal static class JournalReader
{
    private const int Chunk = 1 << 16;

    public delegate LedgerRecord? LineParser(ReadOnlySpan<byte> line, long offset);

    /// <summary>Up to <paramref name="max"/> records from the lines in <c>[start, end)</c>; the segment ends after the last line read.</summary>
    public static JournalSegment Read(SafeFileHandle file, long start, long end, int max, LineParser parse, CancellationToken cancellationToken)
    {
        var records = new List<LedgerRecord>(Math.Min(max, 1024));
        var lines = 0;
        var offset = start;
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            int filled = 0, consumed = 0;
            var readAt = start;
            while (records.Count < max)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var newline = buffer.AsSpan(consumed, filled - consumed).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    lines += newline > 0 ? 1 : 0; // a probe's empty line is no record
                    if (parse(buffer.AsSpan(consumed, newline), offset) is { } record)
                    {
                        records.Add(record);
                    }

                    consumed += newline + 1;
                    offset += newline + 1;
                    continue;
                }

                if (readAt >= end)
                {
                    break;
                }

                // Keep the partial line, growing the buffer only for a line longer than it.
                var partial = filled - consumed;
                if (partial == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                    readAt = offset;
                    filled = consumed = 0;
                    continue;
                }

                buffer.AsSpan(consumed, partial).CopyTo(buffer);
                filled = partial;
                consumed = 0;
                var read = RandomAccess.Read(file, buffer.AsSpan(filled, (int)Math.Min(buffer.Length - filled, end - readAt)), readAt);
                if (read == 0)
                {
                    break;
                }

                filled += read;
                readAt += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new JournalSegment(records, offset, lines);
    }
}
