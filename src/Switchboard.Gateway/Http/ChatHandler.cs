using System.Buffers;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Chat;
using Switchboard.Gateway.Auth;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Hosting;
using Switchboard.Pricing;

namespace Switchboard.Gateway.Http;

/// <summary>
/// The HTTP edge of every chat endpoint: authenticate, read and parse the body, build the request's
/// <see cref="SwitchboardContext"/>, run the pipeline (the same one the library and <c>switchboard chat</c> run: ledger,
/// caller policy, budgets, guardrails, cache, router), and write the answer, headers and errors in the client's protocol.
/// A stream's headers wait for its first chunk, so a failure before it becomes an ordinary error response; after it, an
/// error frame ends the stream (no success frame).
/// </summary>
internal sealed partial class ChatHandler(IChatClient client, Authenticator auth, TokenEstimator estimator, IOptions<GatewayOptions> options,
    TimeProvider time, ILogger<ChatHandler> logger)
{
    /// <summary>The longest model name accepted (see <see cref="EdgeAdmission"/>).</summary>
    public const int MaxModelNameLength = EdgeAdmission.MaxModelNameLength;

    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] LineEnd = "\n"u8.ToArray();
    private static readonly byte[] FrameEnd = "\n\n"u8.ToArray();

    public async Task HandleAsync(HttpContext http, IEdgeProtocol protocol)
    {
        var started = Stopwatch.GetTimestamp();
        var requestId = RequestIdOf(http);
        if (await EdgeAdmission.AdmitAsync(http, protocol, auth, options.Value.MaxRequestBytes, protocol.Parse, r => r.Model) is not { } admitted)
        {
            return;
        }

        var request = admitted.Request;
        var identity = Identity(admitted.Caller);
        try
        {
            await protocol.PrepareAsync(request, identity, http.RequestAborted);
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
        {
            await EdgeAdmission.WriteErrorAsync(http, protocol, Log(GatewayErrors.From(ex), ex, requestId));
            return;
        }

        var context = new SwitchboardContext
        {
            RequestId = requestId,
            Caller = identity,
            Route = RoutingHeaders.Hints(http.Request, request.Route),
            CacheRequest = admitted.Cache,
        };
        request.Options.ModelId = request.Model;
        request.Options.WithSwitchboard(context);
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        if (request.Stream)
        {
            await StreamAsync(http, protocol, request, context, created, started);
            return;
        }

        ChatResponse response;
        try
        {
            response = await client.GetResponseAsync(request.Messages, request.Options, http.RequestAborted);
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
        {
            RoutingHeaders.WriteAttempts(http.Response.Headers, ex);
            await EdgeAdmission.WriteErrorAsync(http, protocol, Log(GatewayErrors.From(ex), ex, requestId));
            return;
        }

        var answer = protocol.WriteResponse(response, request, requestId, created);
        await protocol.CompletingAsync(request, answer, http.RequestAborted);
        // Measured after the pipeline's durable ledger append, which the client waits for too.
        var overhead = Stopwatch.GetElapsedTime(started) - (context.Routing?.UpstreamTime ?? TimeSpan.Zero);
        RoutingHeaders.Write(http.Response, context, overhead);
        await JsonBody.WriteAsync(http, StatusCodes.Status200OK, answer);
        LogCompleted(context, request, started);
    }

    /// <summary>The caller as the pipeline's policy sees it: a virtual key with its models and limits, or the master/local caller.</summary>
    internal static CallerIdentity Identity(Caller caller) => caller.Key is { } key
        ? new CallerIdentity(key.Id, key.Id) { Name = key.Name, Models = key.Models, Rpm = key.Rpm, Tpm = key.Tpm }
        : new CallerIdentity(caller.Id) { Name = caller.Name };

    private void LogCompleted(SwitchboardContext context, EdgeRequest request, long started)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            var result = context.Routing;
            LogRequest(logger, context.RequestId, context.Caller?.Name ?? context.Caller?.Id ?? "", result?.Route ?? request.Model ?? "",
                result?.Deployment?.Provider ?? "", result?.Deployment?.Model ?? "", result?.Usage?.InputTokenCount ?? 0,
                result?.Usage?.OutputTokenCount ?? 0, result?.CostUsd ?? 0m, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                context.CacheStatus ?? CacheStatus.Bypass, result?.AttemptCount ?? 0, context.Streamed);
        }
    }

    private async Task StreamAsync(HttpContext http, IEdgeProtocol protocol, EdgeRequest request, SwitchboardContext context, long created, long started)
    {
        var aborted = http.RequestAborted;
        await using var updates = client.GetStreamingResponseAsync(request.Messages, request.Options, aborted).GetAsyncEnumerator(aborted);
        bool hasFirst;
        try
        {
            hasFirst = await updates.MoveNextAsync();
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            RoutingHeaders.WriteAttempts(http.Response.Headers, ex);
            await EdgeAdmission.WriteErrorAsync(http, protocol, Log(GatewayErrors.From(ex), ex, context.RequestId));
            return;
        }

        RoutingHeaders.Write(http.Response, context, overhead: null);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var model = context.Routing?.Deployment?.Model ?? context.Cache?.Model ?? request.Model;
        var stream = protocol.CreateStream(request with { Model = model }, context.RequestId, created,
            context.InputTokens(estimator, request.Messages, request.Options));
        var body = http.Response.BodyWriter;
        try
        {
            Write(body, stream.Start());
            if (hasFirst)
            {
                Write(body, stream.OnUpdate(updates.Current));
                await body.FlushAsync(aborted);
                // The pipeline ends the enumeration only once the request's ledger records are durable.
                while (await updates.MoveNextAsync())
                {
                    Write(body, stream.OnUpdate(updates.Current));
                    await body.FlushAsync(aborted);
                }
            }

            var end = stream.Complete(context.Routing?.Usage, context.Routing);
            await stream.CompletingAsync(aborted);
            Write(body, end);
            await body.FlushAsync(aborted);
            LogCompleted(context, request, started);
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            // Output was already sent: end with an error frame and no success frame, so the break is visible.
            var end = stream.Fail(Log(GatewayErrors.From(ex), ex, context.RequestId));
            await stream.FailingAsync(aborted);
            Write(body, end);
            await body.FlushAsync(CancellationToken.None);
        }
    }

    private static void Write(System.IO.Pipelines.PipeWriter body, IEnumerable<SseFrame> frames)
    {
        foreach (var frame in frames)
        {
            if (frame.Event is { } name)
            {
                body.Write(EventPrefix);
                body.Write(Encoding.UTF8.GetBytes(name));
                body.Write(LineEnd);
            }

            body.Write(DataPrefix);
            body.Write(frame.Data);
            body.Write(FrameEnd);
        }
    }

    private GatewayError Log(GatewayError error, Exception exception, string requestId)
    {
        if (error.Status >= 500 && error.Code == "internal_error")
        {
            LogUnexpected(logger, requestId, exception);
        }
        else
        {
            LogRefused(logger, requestId, error.Status, error.Code ?? error.Type);
        }

        return error;
    }

    internal static string RequestIdOf(HttpContext http)
    {
        if (http.Items.TryGetValue(RoutingHeaders.RequestId, out var id) && id is string s)
        {
            return s;
        }

        return RequestIds.New();
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information,
        Message = "Request {RequestId} key={KeyName} route={Route} provider={Provider} model={Model} tokens={InputTokens}/{OutputTokens} cost_usd={CostUsd} latency_ms={LatencyMs:0.0} cache={Cache} attempts={Attempts} stream={Streamed}")]
    private static partial void LogRequest(ILogger logger, string requestId, string keyName, string route, string provider, string model,
        long inputTokens, long outputTokens, decimal costUsd, double latencyMs, string cache, int attempts, bool streamed);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Request {RequestId} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Request {RequestId} answered {Status} ({Code})")]
    private static partial void LogRefused(ILogger logger, string requestId, int status, string code);
}
