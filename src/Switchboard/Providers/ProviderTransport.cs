using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers;

/// <summary>
/// The HTTP plumbing every adapter shares: send under the call's cancellation, turn error replies into
/// <see cref="ProviderException"/>, read a reply body straight into its wire type, and the one streaming loop (SSE
/// over the body's bytes, the idle timeout, errors and cancellation mapped the same way for every provider).
/// </summary>
internal sealed class ProviderTransport(string provider, ProviderOptions options, HttpClient http, TimeProvider time,
    ProviderTransport.ErrorMapper mapError)
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    private readonly TimeSpan _idleTimeout = TimeSpan.FromSeconds(options.StreamIdleTimeoutSeconds);

    /// <summary>Maps an error reply (status, headers, body text) to the shared taxonomy; a pure function per provider.</summary>
    public delegate ProviderException ErrorMapper(int status, HttpResponseHeaders headers, string body);

    /// <summary>Sends a request and deserialises the successful reply from the body's bytes; null for a JSON <c>null</c>.</summary>
    public async Task<T?> GetJsonAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested(); // the caller gave up: send nothing
        using var scope = ProviderCallScope.ForResponse(provider, cancellationToken);
        using var response = await SendAsync(request, scope).ConfigureAwait(false);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(scope.Token).ConfigureAwait(false);
            await using var bodyScope = body.ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(body, typeInfo, scope.Token).ConfigureAwait(false);
        }
        catch (JsonException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProviderException(ProviderErrorKind.MalformedResponse, $"{provider} sent a reply that is not valid JSON.", provider,
                innerException: ex);
        }
        catch (Exception ex)
        {
            throw Translate(scope, ex);
        }
    }

    /// <summary>
    /// Sends a streaming request and yields the decoder's updates as events arrive. Each event's data goes to the
    /// decoder as UTF-8 bytes; once content has started, silence longer than the idle timeout ends the stream with
    /// <see cref="ProviderErrorKind.Timeout"/>; every failure carries the usage reported so far.
    /// </summary>
    public async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(Func<HttpRequestMessage> createRequest, IProviderStreamDecoder decoder,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested(); // the caller gave up: send nothing
        using var scope = ProviderCallScope.ForStream(provider, _idleTimeout, time, cancellationToken);
        using var request = createRequest();
        using var response = await SendAsync(request, scope).ConfigureAwait(false);
        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(scope.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Translate(scope, ex);
        }

        await using var bodyScope = body.ConfigureAwait(false);
        var events = SseParser.Create(body, decoder.Decode).EnumerateAsync(scope.Token).GetAsyncEnumerator(scope.Token);
        await using var eventsScope = events.ConfigureAwait(false);
        while (!decoder.IsDone)
        {
            ChatResponseUpdate? update;
            try
            {
                scope.BeginWait();
                var more = await events.MoveNextAsync().ConfigureAwait(false);
                scope.EndWait();
                if (!more)
                {
                    break;
                }

                update = events.Current.Data;
            }
            catch (Exception ex)
            {
                throw Translate(scope, ex, decoder);
            }

            if (update is not null)
            {
                scope.Observe(update);
                yield return update;
            }
        }

        ChatResponseUpdate? last;
        try
        {
            last = decoder.Complete();
        }
        catch (ProviderException ex)
        {
            ex.PartialUsage ??= decoder.Usage;
            throw;
        }

        if (last is not null)
        {
            yield return last;
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, ProviderCallScope scope)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, scope.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Translate(scope, ex);
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
            catch (Exception ex)
            {
                throw Translate(scope, ex);
            }

            throw mapError((int)response.StatusCode, response.Headers, body);
        }
    }

    // The exception to throw for ex: the mapped one, or ex itself rethrown with its stack trace; a stream's failure
    // carries the usage reported before it.
    private static Exception Translate(ProviderCallScope scope, Exception ex, IProviderStreamDecoder? decoder = null)
    {
        var translated = scope.Translate(ex);
        if (decoder is not null && translated is ProviderException failure)
        {
            failure.PartialUsage ??= decoder.Usage;
        }

        if (ReferenceEquals(translated, ex))
        {
            ExceptionDispatchInfo.Throw(ex);
        }

        return translated;
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
