using System.Buffers;
using System.Globalization;
using System.Text;

namespace Switchboard.Ledger;

/// <summary>The journal's file chores: the torn-tail cut at open, line counts, the checkpoint file and the compaction copy.</summary>
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

    public static long CountLines(FileStream file, long from, long to)
    {
        long count = 0;
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

                count += buffer.AsSpan(0, read).Count((byte)'\n');
                offset += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return count;
    }

    public static long ReadCheckpoint(string path)
    {
        try
        {
            return File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture, out var offset) ? offset : 0;
        }
        catch (IOException)
        {
            return 0; // replaying from the start is safe: the store ignores records it already has
        }
    }

    /// <summary>Writes the offset to a temporary file, flushes it to disk and renames it over the checkpoint (atomic).</summary>
    public static void WriteCheckpoint(string path, long offset)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, 1))
        {
            stream.Write(Encoding.ASCII.GetBytes(offset.ToString(CultureInfo.InvariantCulture)));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Copies <c>[from, to)</c> of <paramref name="file"/> into a new file at <paramref name="target"/>, flushed to disk.</summary>
    public static void CopyTail(FileStream file, long from, long to, string target)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using var copy = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.Read, 1);
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

            copy.Flush(flushToDisk: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
