using Microsoft.AspNetCore.Http;

namespace Switchboard.Gateway.Http;

/// <summary>
/// Writes a whole JSON answer with its <c>Content-Length</c>. The client has the complete response as soon as these bytes
/// are sent, in one write; a chunked body would end only with its terminating chunk, sent once the handler returned, after
/// its log line and whatever else it does once the body is written.
/// </summary>
internal static class JsonBody
{
    public static Task WriteAsync(HttpContext http, int status, ReadOnlyMemory<byte> body)
    {
        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, http.RequestAborted).AsTask();
    }
}
