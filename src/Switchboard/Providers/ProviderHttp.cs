using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using Switchboard.Chat;

namespace Switchboard.Providers;

/// <summary>The HTTP plumbing every adapter shares: send with timeouts, turn error replies into <see cref="ProviderException"/>, read SSE.</summary>
internal static class ProviderHttp
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>Maps an error reply (status, headers, body text) to the shared taxonomy; a pure function per provider.</summary>
    public delegate ProviderException ErrorMapper(int status, HttpResponseHeaders headers, string body);

    /// <summary>Sends a request and returns the successful response with its headers read (the body not yet).</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, ProviderCallScope scope,
        ErrorMapper mapError)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, scope.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ProviderException)
        {
            throw scope.Translate(ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            string body;
            try
            {
                body = await ReadCappedAsync(response.Content, scope.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not ProviderException)
            {
                throw scope.Translate(ex);
            }

            throw mapError((int)response.StatusCode, response.Headers, body);
        }
    }

    /// <summary>Reads a whole (non-streaming) body as text under the call's timeouts.</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, ProviderCallScope scope)
    {
        try
        {
            return await response.Content.ReadAsByteArrayAsync(scope.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ProviderException)
        {
            throw scope.Translate(ex);
        }
    }

    /// <summary>Reads SSE events one at a time, with the idle timeout armed while waiting for each once content has started.</summary>
    public static async IAsyncEnumerable<SseItem<string>> ReadSseAsync(HttpResponseMessage response, ProviderCallScope scope,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The scope's token already links the caller's token; cancellationToken is here for WithCancellation.
        cancellationToken.ThrowIfCancellationRequested();
        Stream stream;
        try
        {
            stream = await response.Content.ReadAsStreamAsync(scope.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ProviderException)
        {
            throw scope.Translate(ex);
        }

        await using var streamScope = stream.ConfigureAwait(false);
        var events = SseParser.Create(stream).EnumerateAsync(scope.Token).GetAsyncEnumerator(scope.Token);
        await using var eventsScope = events.ConfigureAwait(false);
        while (true)
        {
            bool hasNext;
            try
            {
                scope.ArmIdle();
                hasNext = await events.MoveNextAsync().ConfigureAwait(false);
                scope.DisarmIdle();
            }
            catch (Exception ex) when (ex is not ProviderException)
            {
                throw scope.Translate(ex);
            }

            if (!hasNext)
            {
                yield break;
            }

            yield return events.Current;
        }
    }

    private static async Task<string> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var _ = stream.ConfigureAwait(false);
        var buffer = new byte[MaxErrorBodyBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }
}
