using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Switchboard.Chat;
using Switchboard.Gateway.Auth;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Hosting;
using Switchboard.Pricing;
using Switchboard.Routing;

namespace Switchboard.Gateway.Http;

/// <summary>
/// Token counting endpoints (<c>/v1/messages/count_tokens</c>, <c>/v1/responses/input_tokens</c>, Gemini <c>:countTokens</c>):
/// authenticate like the chat endpoints, map the body with the edge's own mapper, check the model routes, let the edge
/// prepare it (a Responses <c>previous_response_id</c> puts the stored turns first), and answer the tokenizer's estimate of
/// the mapped request. Nothing is sent upstream and nothing is billed.
/// </summary>
internal sealed class TokenCountHandler(Authenticator auth, RouteTable routes, TokenEstimator estimator, IOptions<GatewayOptions> options)
{
    /// <param name="http">The request.</param>
    /// <param name="protocol">The edge whose error shape answers failures.</param>
    /// <param name="parse">Maps the body (the endpoint's count shape) to a canonical request.</param>
    /// <param name="write">Writes the count in the endpoint's shape.</param>
    public async Task HandleAsync(HttpContext http, IEdgeProtocol protocol, Func<ReadOnlyMemory<byte>, EdgeRequest> parse, Func<long, byte[]> write)
    {
        var caller = await auth.AuthenticateAsync(http, adminOnly: false);
        if (caller.Caller is null)
        {
            await WriteAsync(http, caller.Status, protocol.WriteError(new GatewayError(caller.Status, "authentication_error", "invalid_api_key", caller.Error!)));
            return;
        }

        EdgeRequest request;
        try
        {
            var body = await RequestBody.ReadAsync(http.Request, options.Value.MaxRequestBytes, http.RequestAborted);
            if (body is null)
            {
                var tooLarge = GatewayErrors.TooLarge();
                await WriteAsync(http, tooLarge.Status, protocol.WriteError(tooLarge));
                return;
            }

            request = parse(body.Value);
            if (request.Model is { Length: > ChatHandler.MaxModelNameLength })
            {
                throw new EdgeRequestException($"'model' must be at most {ChatHandler.MaxModelNameLength} characters.", "model");
            }

            if (caller.Caller.Key is { } key && !key.Allows(request.Model))
            {
                var refused = new GatewayError(403, "permission_error", "model_not_allowed", $"This API key may not use the model '{request.Model}'.", "model");
                await WriteAsync(http, refused.Status, protocol.WriteError(refused));
                return;
            }

            _ = routes.Resolve(request.Model);
            await protocol.PrepareAsync(request, ChatHandler.Identity(caller.Caller), http.RequestAborted); // e.g. previous_response_id
        }
        catch (Exception ex) when (ex is EdgeRequestException or BadHttpRequestException or ProviderException)
        {
            var error = GatewayErrors.From(ex);
            await WriteAsync(http, error.Status, protocol.WriteError(error));
            return;
        }

        await WriteAsync(http, 200, write(estimator.CountInput(request.Messages, request.Options)));
    }

    private static async Task WriteAsync(HttpContext http, int status, byte[] body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }
}
