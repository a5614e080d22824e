using System.Buffers;

namespace Switchboard.Ledger;

/// <summary>The journal's file chores: the torn-tail cut at open, line counts and the compaction copy.</summary>
internal static class JournalFiles
{
    /// <summary>Cuts a last line without its newline (an append a crash interrupted, never acknowledged); returns the bytes cut.</summary>
    public static long CutTornTail(FileStream file)
    {
        var length = file.Length;
        var keep = length;
        var one = new byte[1];
        while (keep > 0)
        {
            RandomAccess.Read(file.SafeFileHandle, one, keep - 1);
            if (one[0] == (byte)'\n')
            {
                break;
            }

            keep--;
        }

        if (keep != length)
        {
            file.SetLength(keep);
            file.Flush(flushToDisk: true);
        }

        return length - keep;
    }

    /// <summary>The lines in <c>[from, to)</c> that hold something (<paramref name="from"/> starts a line): a probe's empty line
    /// is no record, so it is not counted as one waiting for the store.</summary>
    public static long CountRecordLines(FileStream file, long from, long to)
    {
        long count = 0;
        var previous = (byte)'\n';
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            for (var offset = from; offset < to;)
            {
                var read = RandomAccess.Read(file.SafeFileHandle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, to - offset)), offset);
                if (read == 0)
                {
                    break;
                }

                var span = buffer.AsSpan(0, read);
                for (var at = span.IndexOf((byte)'\n'); at >= 0; at = span.IndexOf((byte)'\n'))
                {
                    count += (at > 0 ? span[at - 1] : previous) == (byte)'\n' ? 0 : 1;
                    previous = (byte)'\n';
                    span = span[(at + 1)..];
                }

                previous = span.IsEmpty ? previous : span[^1];
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return count;
    }

    /// <summary>Appends <c>[from, to)</c> of <paramref name="file"/> to <paramref name="copy"/>.</summary>
    public static void CopyTail(FileStream file, long from, long to, FileStream copy)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            for (var offset = from; offset < to;)
            {
                var read = RandomAccess.Read(file.SafeFileHandle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, to - offset)), offset);
                if (read == 0)
                {
                    throw new IOException($"Ledger journal ended at {offset}, expected {to}");
                }

                copy.Write(buffer, 0, read);
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
