using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Chat;
using Switchboard.Gateway.Auth;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Gateway.Http;

/// <summary>
/// The HTTP edge of the embeddings endpoints (<c>/v1/embeddings</c>, Gemini <c>:embedContent</c> and
/// <c>:batchEmbedContents</c>): authenticate like the chat endpoints, read and parse the body with the endpoint's mapper,
/// build the request's <see cref="SwitchboardContext"/> (caller, routing hints, cache directive), run the embedding
/// pipeline (ledger, caller policy, budgets, cache, router) and answer in the endpoint's shape with the
/// <c>x-switchboard-*</c> headers; every failure in the endpoint's own error shape.
/// </summary>
internal sealed partial class EmbeddingHandler(IEmbeddingGenerator<string, Embedding<float>> generator, Authenticator auth,
    IOptions<GatewayOptions> options, ILogger<EmbeddingHandler> logger)
{
    /// <param name="http">The request.</param>
    /// <param name="errors">The protocol whose error shape answers failures.</param>
    /// <param name="parse">Maps the body to the request (throws <see cref="EdgeRequestException"/> for a 400).</param>
    /// <param name="write">Writes the embeddings in the endpoint's shape.</param>
    public async Task HandleAsync(HttpContext http, IEdgeProtocol errors, Func<ReadOnlyMemory<byte>, EmbeddingEdgeRequest> parse,
        Func<GeneratedEmbeddings<Embedding<float>>, EmbeddingEdgeRequest, byte[]> write)
    {
        var started = Stopwatch.GetTimestamp();
        var requestId = ChatHandler.RequestIdOf(http);
        if (await EdgeAdmission.AdmitAsync(http, errors, auth, options.Value.MaxRequestBytes, parse, r => r.Model) is not { } admitted)
        {
            return;
        }

        var request = admitted.Request;
        if (request.Model is not { Length: > 0 })
        {
            await EdgeAdmission.WriteErrorAsync(http, errors, GatewayErrors.From(new EdgeRequestException(
                $"'model' must be 1 to {EdgeAdmission.MaxModelNameLength} characters with no control characters.", "model")));
            return;
        }

        var context = new SwitchboardContext
        {
            RequestId = requestId,
            Caller = ChatHandler.Identity(admitted.Caller),
            Route = RoutingHeaders.Hints(http.Request, null),
            CacheRequest = admitted.Cache,
        };
        var generationOptions = request.Options;
        generationOptions.ModelId = request.Model;
        (generationOptions.AdditionalProperties ??= [])[SwitchboardContext.Key] = context;

        GeneratedEmbeddings<Embedding<float>> embeddings;
        try
        {
            embeddings = await generator.GenerateAsync(request.Inputs, generationOptions, http.RequestAborted);
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
        {
            RoutingHeaders.WriteAttempts(http.Response.Headers, ex);
            var error = GatewayErrors.From(ex);
            if (error.Status >= 500 && error.Code == "internal_error")
            {
                LogUnexpected(logger, requestId, ex);
            }

            await EdgeAdmission.WriteErrorAsync(http, errors, error);
            return;
        }

        var answer = write(embeddings, request);
        var overhead = Stopwatch.GetElapsedTime(started) - (context.Routing?.UpstreamTime ?? TimeSpan.Zero);
        RoutingHeaders.Write(http.Response, context, overhead);
        await JsonBody.WriteAsync(http, StatusCodes.Status200OK, answer);
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Error, Message = "Embeddings request {RequestId} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string requestId, Exception exception);
}
