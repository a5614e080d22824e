using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Switchboard.Chat;

/// <summary>
/// Identifiers for requests and the records and responses they produce, 32 lowercase hex characters (the shape of
/// <c>Guid.ToString("N")</c>): the creation time in milliseconds since 1970 (48 bits, as in a version 7 UUID), then 80
/// random bits from the operating system's secure generator.
/// </summary>
/// <remarks>
/// Time first, because the ledger's primary key starts with the request id: random ids put each new row in a random page
/// of that index, so once the index outgrows the cache every insert reads and rewrites a page of its own (measured under
/// load: about 2.5 page writes per request in SQLite); ids that grow with time append to the index's last pages. Each
/// thread draws its random bits 4 KiB at a time, so an id costs no system call (<c>Guid.NewGuid</c> makes one per id on
/// Linux, and a request takes several ids).
/// </remarks>
public static class RequestIds
{
    private const int RandomBytes = 10;
    private const int BlockBytes = 4000; // 400 ids per refill

    [ThreadStatic]
    private static byte[]? t_block;

    [ThreadStatic]
    private static int t_next;

    /// <summary>A new identifier: ordered by creation time to the millisecond, unpredictable and, in practice, unique
    /// across replicas (80 random bits per millisecond).</summary>
    public static string New() => New(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds());

    internal static string New(long unixMilliseconds)
    {
        var block = t_block;
        var next = t_next;
        if (block is null || next + RandomBytes > BlockBytes)
        {
            block = t_block ??= new byte[BlockBytes];
            RandomNumberGenerator.Fill(block);
            next = 0;
        }

        t_next = next + RandomBytes;
        Span<byte> id = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(id[..8], unixMilliseconds << 16); // 48 bits of time in the first 6 bytes
        block.AsSpan(next, RandomBytes).CopyTo(id[6..]);
        block.AsSpan(next, RandomBytes).Clear(); // what was handed out does not stay in memory
        return Convert.ToHexStringLower(id);
    }
}
