using Microsoft.AspNetCore.Http;
using Switchboard.Chat;
using Switchboard.Gateway.Auth;
using Switchboard.Gateway.Edges;

namespace Switchboard.Gateway.Http;

/// <summary>
/// The front half every model endpoint shares (chat, Responses, Gemini, embeddings): authenticate, read the body within
/// <c>MaxRequestBytes</c>, parse it with the endpoint's mapper, check the model name, read the cache directive. A refusal is
/// written in the endpoint's own error shape and the request goes no further.
/// </summary>
internal static class EdgeAdmission
{
    /// <summary>The longest model name accepted; real ones (including <c>provider/model</c>) are far shorter.</summary>
    public const int MaxModelNameLength = 256;

    /// <summary>A request let in: its parsed body, its caller and its cache directive.</summary>
    public sealed record Admitted<T>(T Request, Caller Caller, CacheRequestOptions Cache);

    /// <summary>The admitted request, or null once the refusal has been written.</summary>
    public static async Task<Admitted<T>?> AdmitAsync<T>(HttpContext http, IEdgeProtocol errors, Authenticator auth, long maxRequestBytes,
        Func<ReadOnlyMemory<byte>, T> parse, Func<T, string?> model)
    {
        var caller = await auth.AuthenticateAsync(http, adminOnly: false);
        if (caller.Caller is null)
        {
            await WriteErrorAsync(http, errors, new GatewayError(caller.Status, "authentication_error", "invalid_api_key", caller.Error!));
            return null;
        }

        T request;
        try
        {
            var body = await RequestBody.ReadAsync(http.Request, maxRequestBytes, http.RequestAborted);
            if (body is null)
            {
                await WriteErrorAsync(http, errors, GatewayErrors.TooLarge());
                return null;
            }

            request = parse(body.Value);
            CheckModelName(model(request));
        }
        catch (Exception ex) when (ex is EdgeRequestException or BadHttpRequestException)
        {
            await WriteErrorAsync(http, errors, GatewayErrors.From(ex));
            return null;
        }

        if (RoutingHeaders.CacheRequest(http.Request, caller.Caller.Id) is not { } cache)
        {
            await WriteErrorAsync(http, errors, new GatewayError(400, "invalid_request_error", "invalid_cache_directive",
                "x-switchboard-cache must be no-store, no-cache or opt-in, and x-switchboard-cache-ttl a positive number of seconds."));
            return null;
        }

        return new Admitted<T>(request, caller.Caller, cache);
    }

    /// <summary>A model name is an identifier, not text: bounded and printable (it becomes a route, a log field and a metric label).
    /// Null (the default route) passes.</summary>
    public static void CheckModelName(string? model)
    {
        if (model is not null && (model.Length is 0 or > MaxModelNameLength || model.Any(char.IsControl)))
        {
            throw new EdgeRequestException(
                $"'model' must be 1 to {MaxModelNameLength} characters with no control characters (got {model.Length}).", "model");
        }
    }

    /// <summary>Writes <paramref name="error"/> in the endpoint's shape, with <c>Retry-After</c> when it has one; nothing once the response has started.</summary>
    public static async Task WriteErrorAsync(HttpContext http, IEdgeProtocol protocol, GatewayError error)
    {
        if (http.Response.HasStarted)
        {
            return;
        }

        if (error.RetryAfterSeconds is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await JsonBody.WriteAsync(http, error.Status, protocol.WriteError(error));
    }
}
