using Microsoft.AspNetCore.Http;
using Switchboard.Gateway.Http;

namespace Switchboard.Tests.Gateway;

/// <summary>A request body's buffer follows the bytes received, not the Content-Length the client declared.</summary>
public sealed class RequestBodyTests
{
    [Fact]
    public async Task DeclaredSixteenMiB_TenBytesSent_AllocatesFarLessThanTheDeclaredLength()
    {
        var http = new DefaultHttpContext();
        http.Request.ContentLength = 16 * 1024 * 1024;
        http.Request.Body = new MemoryStream("0123456789"u8.ToArray());
        var before = GC.GetAllocatedBytesForCurrentThread();
        var body = await RequestBody.ReadAsync(http.Request, 16 * 1024 * 1024, CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(10, body!.Value.Length);
        Assert.True(allocated < 1024 * 1024, $"allocated {allocated} bytes for a 10-byte body");
    }
}
