using System.Globalization;
using System.Text;

namespace Switchboard.Ledger;

/// <summary>
/// The journal's checkpoint file: the byte offset in the journal up to which records are confirmed in the store, as 19
/// ASCII digits and a newline rewritten in place (one small positioned write per store batch, no rename). A write of 20 bytes
/// at offset 0 is never torn by a process crash; a power loss can at worst leave an older offset, which only replays more.
/// </summary>
internal sealed class JournalCheckpoint : IDisposable
{
    private const int Width = 20;
    private readonly FileStream _file;
    private readonly byte[] _bytes = new byte[Width];

    public JournalCheckpoint(string path)
    {
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, FileOptions.None);
        var offset = Read();
        Write(offset, flushToDisk: false);
        if (_file.Length != Width)
        {
            _file.SetLength(Width); // an older, shorter or longer format
        }
    }

    /// <summary>The offset last written.</summary>
    public long Saved { get; private set; }

    /// <summary>Writes <paramref name="offset"/> in place; <paramref name="flushToDisk"/> when a later step relies on it surviving
    /// a power loss (before the journal is truncated or replaced).</summary>
    public void Write(long offset, bool flushToDisk)
    {
        offset.TryFormat(_bytes, out _, "D19", CultureInfo.InvariantCulture);
        _bytes[Width - 1] = (byte)'\n';
        RandomAccess.Write(_file.SafeFileHandle, _bytes, 0);
        if (flushToDisk)
        {
            _file.Flush(flushToDisk: true);
        }

        Saved = offset;
    }

    public void Dispose() => _file.Dispose();

    private long Read()
    {
        try
        {
            var buffer = new byte[64];
            var read = RandomAccess.Read(_file.SafeFileHandle, buffer, 0);
            return long.TryParse(Encoding.ASCII.GetString(buffer, 0, read).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                ? offset
                : 0; // replaying from the start is safe: the store ignores records it already has
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
