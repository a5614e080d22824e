using System.Buffers;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Budgets;
using Switchboard.Caching;
using Switchboard.Chat;
using Switchboard.Gateway.Auth;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Hosting;
using Switchboard.Guardrails;
using Switchboard.Pricing;
using Switchboard.Routing;

namespace Switchboard.Gateway.Http;

/// <summary>
/// The one request path every chat endpoint shares: authenticate, read and parse the body, check the key's models and
/// limits, route, and write the answer in the client's protocol. A stream's headers wait for its first chunk, so a
/// failure before it becomes an ordinary error response; after it, an error frame ends the stream (no success frame).
/// </summary>
internal sealed partial class ChatHandler(IChatClient client, Authenticator auth, KeyRateLimiter limiter, TokenEstimator estimator,
    RequestAccounting accounting, IOptions<GatewayOptions> options, TimeProvider time, ILogger<ChatHandler> logger)
{
    /// <summary>The longest model name accepted; real ones (including <c>provider/model</c>) are far shorter.</summary>
    public const int MaxModelNameLength = 256;

    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] LineEnd = "\n"u8.ToArray();
    private static readonly byte[] FrameEnd = "\n\n"u8.ToArray();

    public async Task HandleAsync(HttpContext http, IEdgeProtocol protocol)
    {
        var started = Stopwatch.GetTimestamp();
        var requestId = RequestIdOf(http);
        var caller = await auth.AuthenticateAsync(http, adminOnly: false);
        if (caller.Caller is null)
        {
            await WriteErrorAsync(http, protocol, new GatewayError(caller.Status, "authentication_error", "invalid_api_key", caller.Error!));
            return;
        }

        EdgeRequest request;
        try
        {
            var body = await RequestBody.ReadAsync(http.Request, options.Value.MaxRequestBytes, http.RequestAborted);
            if (body is null)
            {
                await WriteErrorAsync(http, protocol, GatewayErrors.TooLarge());
                return;
            }

            request = protocol.Parse(body.Value);
            CheckModelName(request.Model);
        }
        catch (Exception ex) when (ex is EdgeRequestException or BadHttpRequestException)
        {
            await WriteErrorAsync(http, protocol, GatewayErrors.From(ex));
            return;
        }

        if (caller.Caller.Key is { } key)
        {
            if (!key.Allows(request.Model))
            {
                await WriteErrorAsync(http, protocol, new GatewayError(403, "permission_error", "model_not_allowed",
                    $"This API key may not use the model '{request.Model}'.", "model"));
                return;
            }

            if (await limiter.TryAdmitAsync(key, estimator.CountInput(request.Messages, request.Options), http.RequestAborted) is { } retryAfter)
            {
                await WriteErrorAsync(http, protocol, new GatewayError(429, "rate_limit_error", "rate_limit_exceeded",
                    "This API key is over its rate limit.", RetryAfterSeconds: retryAfter));
                return;
            }
        }

        if (RoutingHeaders.CacheRequest(http.Request, caller.Caller.Id) is not { } cacheRequest)
        {
            await WriteErrorAsync(http, protocol, new GatewayError(400, "invalid_request_error", "invalid_cache_directive",
                "x-switchboard-cache must be no-store, no-cache or opt-in, and x-switchboard-cache-ttl a positive number of seconds."));
            return;
        }

        request.Options.ModelId = request.Model;
        request.Options.WithRoute(RoutingHeaders.Hints(http.Request, request.Options.GetRouteOptions(), requestId, caller.Caller.Id));
        request.Options.WithCache(cacheRequest);
        BudgetReservation? reservation;
        try
        {
            reservation = await accounting.ReserveAsync(request, caller.Caller, http.RequestAborted);
        }
        catch (Exception e) when (e is BudgetExceededException or BudgetUnavailableException or UnpricedModelException or EdgeRequestException)
        {
            await WriteErrorAsync(http, protocol, Log(GatewayErrors.From(e), e, requestId));
            return;
        }

        await using var _ = reservation;
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        if (request.Stream)
        {
            await StreamAsync(http, protocol, request, requestId, created, caller.Caller, reservation, started);
            return;
        }

        ChatResponse response;
        try
        {
            response = await client.GetResponseAsync(request.Messages, request.Options, http.RequestAborted);
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested)
        {
            await RecordBlockedAsync(ex, requestId, caller.Caller, request, streamed: false, started);
            await SettleAsync(reservation, accounting.AttemptsCost((ex as RoutingFailedException)?.Attempts));
            RoutingHeaders.WriteAttempts(http.Response.Headers, ex);
            await WriteErrorAsync(http, protocol, Log(GatewayErrors.From(ex), ex, requestId));
            return;
        }

        var result = response.GetRoutingResult();
        accounting.PriceResult(result);
        var cache = response.GetCacheStatus();
        var answer = protocol.WriteResponse(response, request, requestId, created);
        await accounting.RecordFinalAsync(requestId, caller.Caller, result, response.AdditionalProperties, cache, streamed: false,
            Stopwatch.GetElapsedTime(started));
        await SettleAsync(reservation, accounting.ActualCost(result, cache));
        accounting.RecordFlagged(requestId, caller.Caller, request, response.AdditionalProperties, streamed: false);
        // Measured after the durable ledger append, which the client waits for too.
        var overhead = Stopwatch.GetElapsedTime(started) - (result?.UpstreamTime ?? TimeSpan.Zero);
        RoutingHeaders.Write(http.Response, result, overhead, cache, response.AdditionalProperties);
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(answer, http.RequestAborted);
        LogCompleted(requestId, caller.Caller, request, result, cache, streamed: false, started);
    }

    /// <summary>A model name is an identifier, not text: bounded and printable (it becomes a route, a log field and a metric label).</summary>
    private static void CheckModelName(string? model)
    {
        if (model is null)
        {
            return;
        }

        if (model.Length is 0 or > MaxModelNameLength || model.Any(char.IsControl))
        {
            throw new EdgeRequestException(
                $"'model' must be 1 to {MaxModelNameLength} characters with no control characters (got {model.Length}).", "model");
        }
    }

    private void LogCompleted(string requestId, Caller caller, EdgeRequest request, RoutingResult? result, string? cache, bool streamed, long started)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogRequest(logger, requestId, caller.Name ?? caller.Id, result?.Route ?? request.Model ?? "", result?.Deployment?.Provider ?? "",
                result?.Deployment?.Model ?? "", result?.Usage?.InputTokenCount ?? 0, result?.Usage?.OutputTokenCount ?? 0, result?.CostUsd ?? 0m,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds, cache ?? CacheStatus.Bypass, result?.Attempts.Count ?? 0, streamed);
        }
    }

    private static Task SettleAsync(BudgetReservation? reservation, decimal cost) =>
        reservation?.SettleAsync(cost) ?? Task.CompletedTask;

    private async Task StreamAsync(HttpContext http, IEdgeProtocol protocol, EdgeRequest request, string requestId, long created,
        Caller caller, BudgetReservation? reservation, long started)
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
            await RecordBlockedAsync(ex, requestId, caller, request, streamed: true, started);
            await SettleAsync(reservation, accounting.AttemptsCost((ex as RoutingFailedException)?.Attempts));
            RoutingHeaders.WriteAttempts(http.Response.Headers, ex);
            await WriteErrorAsync(http, protocol, Log(GatewayErrors.From(ex), ex, requestId));
            return;
        }

        var first = hasFirst ? updates.Current : null;
        var result = first?.GetRoutingResult();
        var cache = first?.GetCacheStatus();
        RoutingHeaders.Write(http.Response, result, overhead: null, cache, first?.AdditionalProperties);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var stream = protocol.CreateStream(request with { Model = result?.Deployment?.Model ?? request.Model }, requestId, created, estimator.CountInput(request.Messages, request.Options));
        var body = http.Response.BodyWriter;
        try
        {
            Write(body, stream.Start());
            if (first is not null)
            {
                Write(body, stream.OnUpdate(first));
                await body.FlushAsync(aborted);
                while (await updates.MoveNextAsync())
                {
                    Write(body, stream.OnUpdate(updates.Current));
                    await body.FlushAsync(aborted);
                }
            }

            accounting.PriceResult(result);
            await accounting.RecordFinalAsync(requestId, caller, result, first?.AdditionalProperties, cache,
                streamed: true, Stopwatch.GetElapsedTime(started));
            // Only a completed stream: an output block later in it records attempt 0 as blocked instead.
            accounting.RecordFlagged(requestId, caller, request, first?.AdditionalProperties, streamed: true);
            await SettleAsync(reservation, accounting.ActualCost(result, cache));
            Write(body, stream.Complete(result?.Usage, result));
            await body.FlushAsync(aborted);
            LogCompleted(requestId, caller, request, result, cache, streamed: true, started);
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested)
        {
            await RecordBlockedAsync(ex, requestId, caller, request, streamed: true, started);
            await SettleAsync(reservation, accounting.ActualCost(result, cache));
            // Output was already sent: end with an error frame and no success frame, so the break is visible.
            Write(body, stream.Fail(Log(GatewayErrors.From(ex), ex, requestId)));
            await body.FlushAsync(CancellationToken.None);
        }
    }

    private Task RecordBlockedAsync(Exception ex, string requestId, Caller caller, EdgeRequest request, bool streamed, long started) =>
        ex is GuardrailBlockedException blocked
            ? accounting.RecordBlockedAsync(requestId, caller, request, blocked, streamed, Stopwatch.GetElapsedTime(started))
            : Task.CompletedTask;

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

    private static async Task WriteErrorAsync(HttpContext http, IEdgeProtocol protocol, GatewayError error)
    {
        if (http.Response.HasStarted)
        {
            return;
        }

        http.Response.StatusCode = error.Status;
        if (error.RetryAfterSeconds is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(protocol.WriteError(error), http.RequestAborted);
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

        return Guid.NewGuid().ToString("N");
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
