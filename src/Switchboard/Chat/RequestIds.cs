using System.Security.Cryptography;

namespace Switchboard.Chat;

/// <summary>
/// Random identifiers for requests and the records and responses they produce: 128 bits from the operating system's
/// secure generator, written as 32 lowercase hex characters (the shape of <c>Guid.ToString("N")</c>). Each thread draws
/// its bits 4 KiB at a time, so a request costs no system call: <c>Guid.NewGuid</c> makes one per id on Linux, and the
/// gateway makes several ids per request.
/// </summary>
public static class RequestIds
{
    private const int IdBytes = 16;
    private const int BlockBytes = 4096;

    [ThreadStatic]
    private static byte[]? t_block;

    [ThreadStatic]
    private static int t_next;

    /// <summary>A new identifier: 32 lowercase hex characters, unpredictable and, in practice, unique across replicas.</summary>
    public static string New()
    {
        var block = t_block;
        var next = t_next;
        if (block is null || next + IdBytes > BlockBytes)
        {
            block = t_block ??= new byte[BlockBytes];
            RandomNumberGenerator.Fill(block);
            next = 0;
        }

        t_next = next + IdBytes;
        var id = Convert.ToHexStringLower(block, next, IdBytes);
        block.AsSpan(next, IdBytes).Clear(); // what was handed out does not stay in memory
        return id;
    }
}
