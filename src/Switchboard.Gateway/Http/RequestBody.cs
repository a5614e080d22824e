using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Gateway.Http;

/// <summary>Reads a request body up to a limit (<see cref="GatewayErrors.TooLarge"/> above it).</summary>
internal static class RequestBody
{
    /// <summary>The first buffer: the buffer then grows with the bytes actually received, never with the declared length.</summary>
    public const int InitialBufferBytes = 16 * 1024;

    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        // A declared Content-Length is a claim, not bytes: a client announcing 16 MiB and sending nothing costs 16 KiB.
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(Math.Min(request.ContentLength ?? InitialBufferBytes, InitialBufferBytes), limit) + 1);
        while (true)
        {
            // Read into the free space there is (a declared length fits at once, with one byte spare to see the end); grow
            // only when it is full. Asking for 8 KiB every time regrew the 1 KiB buffer of a small request to 9 KiB.
            var memory = buffer.GetMemory(buffer.FreeCapacity > 0 ? 1 : 8192);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return null;
            }
        }
    }
}
