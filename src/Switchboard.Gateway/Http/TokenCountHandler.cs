using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Chat;
using Switchboard.Gateway.Auth;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Hosting;
using Switchboard.Hosting;
using Switchboard.Policy;
using Switchboard.Pricing;
using Switchboard.Providers;
using Switchboard.Resilience;
using Switchboard.Routing;

namespace Switchboard.Gateway.Http;

/// <summary>
/// Token counting endpoints (<c>/v1/messages/count_tokens</c>, <c>/v1/responses/input_tokens</c>, Gemini <c>:countTokens</c>):
/// admitted like every model endpoint (<see cref="EdgeAdmission"/>), the body mapped with the edge's own mapper and prepared
/// by the edge (a Responses <c>previous_response_id</c> puts the stored turns first), then counted by the route's first
/// healthy deployment's provider when it has a counting endpoint, else by the tokenizer's estimate
/// (<see cref="ProviderTokenCounter"/>). The answer says which in <c>x-switchboard-token-count: provider|estimate</c>.
/// Nothing is generated and nothing is billed; a count is one of the key's requests per minute (it may call a provider),
/// never tokens.
/// </summary>
internal sealed class TokenCountHandler(Authenticator auth, RouteTable routes, RoutePlanner planner, DeploymentResilience resilience,
    ProviderRegistry providers, TokenEstimator estimator, CallerRateLimiter limiter, IOptions<GatewayOptions> options,
    ILogger<ProviderTokenCounter> logger)
{
    /// <summary>Response header naming who counted: <c>provider</c> or <c>estimate</c>.</summary>
    public const string SourceHeader = "x-switchboard-token-count";

    private readonly ProviderTokenCounter _counter = new(routes, planner, resilience, providers.Clients, estimator, logger);

    /// <param name="http">The request.</param>
    /// <param name="protocol">The edge whose error shape answers failures.</param>
    /// <param name="parse">Maps the body (the endpoint's count shape) to a canonical request.</param>
    /// <param name="write">Writes the count in the endpoint's shape.</param>
    public async Task HandleAsync(HttpContext http, IEdgeProtocol protocol, Func<ReadOnlyMemory<byte>, EdgeRequest> parse, Func<long, byte[]> write)
    {
        if (await EdgeAdmission.AdmitAsync(http, protocol, auth, options.Value.MaxRequestBytes, parse, r => r.Model) is not { } admitted)
        {
            return;
        }

        var request = admitted.Request;
        if (admitted.Caller.Key is { } key && !key.Allows(request.Model))
        {
            await EdgeAdmission.WriteErrorAsync(http, protocol,
                new GatewayError(403, "permission_error", "model_not_allowed", $"This API key may not use the model '{request.Model}'.", "model"));
            return;
        }

        var caller = ChatHandler.Identity(admitted.Caller);
        if (caller.Rpm is not null && await limiter.TryAdmitAsync(caller, 0, http.RequestAborted) is { } retryAfter)
        {
            await EdgeAdmission.WriteErrorAsync(http, protocol, GatewayErrors.From(new CallerRateLimitedException(retryAfter)));
            return;
        }

        ProviderTokenCount count;
        try
        {
            await protocol.PrepareAsync(request, caller, http.RequestAborted); // e.g. previous_response_id
            request.Options.ModelId = request.Model;
            count = await _counter.CountAsync(request.Messages, request.Options, RoutingHeaders.Hints(http.Request, request.Route), http.RequestAborted);
        }
        catch (Exception ex) when (ex is EdgeRequestException or BadHttpRequestException or ProviderException)
        {
            await EdgeAdmission.WriteErrorAsync(http, protocol, GatewayErrors.From(ex));
            return;
        }

        var headers = http.Response.Headers;
        headers[SourceHeader] = count.Source;
        if (count.Deployment is { } deployment)
        {
            headers[RoutingHeaders.Provider] = deployment.Provider;
            headers[RoutingHeaders.Model] = deployment.Model;
        }

        await JsonBody.WriteAsync(http, StatusCodes.Status200OK, write(count.Tokens));
    }
}
