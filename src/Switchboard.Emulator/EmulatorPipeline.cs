using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Emulator;

/// <summary>
/// Handles one model request: record, authenticate, apply the fault, validate, then answer as JSON or as a stream.
/// </summary>
internal sealed class EmulatorPipeline(EmulatorOptions options, EmulatorRecorder recorder, FaultResolver faults, CancellationToken stopping)
{
    public const string FaultHeader = "x-emulator-fault";
    private static readonly TimeSpan CutGrace = TimeSpan.FromMilliseconds(100);

    /// <summary>Serves a generation or token-count request for <paramref name="protocol"/>.</summary>
    public async Task HandleAsync(HttpContext context, IProviderProtocol protocol, string? pathModel, bool streamFromPath, bool countTokens)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var ct = cts.Token;
        try
        {
            await HandleCoreAsync(context, protocol, pathModel, streamFromPath, countTokens, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            context.Abort();
        }
    }

    /// <summary>
    /// Serves an embeddings request for <paramref name="protocol"/> (OpenAI <c>/v1/embeddings</c>, Gemini <c>:embedContent</c> /
    /// <c>:batchEmbedContents</c>): recorded, authenticated and faulted like every model request, then answered by
    /// <paramref name="reply"/> from the body and model (which throws <see cref="InvalidRequestException"/> for a 400).
    /// </summary>
    public async Task HandleEmbeddingsAsync(HttpContext context, IProviderProtocol protocol, string? pathModel, Func<JsonObject, string, JsonObject> reply)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var ct = cts.Token;
        try
        {
            if (await PreludeAsync(context, protocol, pathModel, ct) is not { } prelude)
            {
                return;
            }

            var (body, model, fault, errors, _) = prelude;

            JsonObject answer;
            try
            {
                answer = reply(body ?? throw new InvalidRequestException("The request body is not valid JSON."),
                    model ?? throw new InvalidRequestException("you must provide a model parameter"));
            }
            catch (InvalidRequestException e)
            {
                await errors.WriteAsync(ErrorKinds.Invalid, e.Message, FaultSpec.None, ct);
                return;
            }

            await DelayAsync(options.TimeToFirstTokenMs, ct);
            await WriteJsonAsync(context, 200, fault.Malformed ? "{\"data\":[{\"embedding\":[0.1," : answer.ToJsonString(), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            context.Abort();
        }
    }

    /// <summary>Reads, records and authenticates the request and applies its fault; null when that already answered it.</summary>
    private async Task<(JsonObject? Body, string? Model, FaultSpec Fault, ErrorWriter Errors, long Sequence)?> PreludeAsync(HttpContext context,
        IProviderProtocol protocol, string? pathModel, CancellationToken ct)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(ct);
        var body = JsonText.TryParseObject(text);
        var model = pathModel ?? JsonText.Str(body?["model"]);
        var sequence = recorder.NextSequence();
        var requestId = OpenAIProtocol.Id("req_EMU", sequence);
        recorder.Record(protocol.Name, context.Request.Path.Value ?? "", model, text, context.Request.Headers);
        protocol.AddHeaders(context.Response, requestId);
        var errors = new ErrorWriter(context, protocol, model ?? "unknown", requestId);

        if (options.RequiredApiKey is { } required && ApiKeys.Find(context.Request) != required)
        {
            await errors.WriteAsync(ErrorKinds.Auth, null, FaultSpec.None, ct);
            return null;
        }

        FaultSpec fault;
        try
        {
            // A count is a call like any other: a provider configured to fail fails its counts too (stream faults do not apply).
            fault = faults.Resolve(context.Request.Headers[FaultHeader].ToString(), protocol.Name, model);
        }
        catch (FormatException e)
        {
            await errors.WriteAsync(ErrorKinds.Invalid, e.Message, FaultSpec.None, ct);
            return null;
        }

        if (fault.DelayMs is { } delay)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay), options.TimeProvider, ct);
        }

        if (fault.Reset)
        {
            context.Abort();
            return null;
        }

        if (fault.IsHttpError)
        {
            var kind = fault.Error ?? ErrorKinds.FromStatus(fault.Status!.Value);
            await errors.WriteAsync(kind, null, fault, ct);
            return null;
        }

        return (body, model, fault, errors, sequence);
    }

    private async Task HandleCoreAsync(HttpContext context, IProviderProtocol protocol, string? pathModel, bool streamFromPath, bool countTokens, CancellationToken ct)
    {
        if (await PreludeAsync(context, protocol, pathModel, ct) is not { } prelude)
        {
            return;
        }

        var (body, model, fault, errors, sequence) = prelude;
        var requestId = OpenAIProtocol.Id("req_EMU", sequence);

        ChatCall call;
        try
        {
            call = body is null
                ? throw new InvalidRequestException("The request body is not valid JSON.")
                : countTokens && protocol is AnthropicProtocol anthropic
                    ? anthropic.Parse(body, requireMaxTokens: false)
                    : protocol.Parse(body, pathModel, streamFromPath);
        }
        catch (InvalidRequestException e)
        {
            await errors.WriteAsync(ErrorKinds.Invalid, e.Message, FaultSpec.None, ct);
            return;
        }

        if (fault.CallToolName is { } toolName && !call.Tools.Any(t => t.Name == toolName))
        {
            var offered = call.Tools.Count == 0 ? "none" : string.Join(", ", call.Tools.Select(t => t.Name));
            await errors.WriteAsync(ErrorKinds.Invalid, $"Fault key 'call-tool' names '{toolName}', but the request offers: {offered}.", FaultSpec.None, ct);
            return;
        }

        if (countTokens)
        {
            var count = protocol switch
            {
                GeminiProtocol => new JsonObject { ["totalTokens"] = call.PromptTokens },
                ResponsesInputTokensProtocol => new JsonObject { ["object"] = "response.input_tokens", ["input_tokens"] = call.PromptTokens },
                _ => new JsonObject { ["input_tokens"] = call.PromptTokens },
            };
            await WriteJsonAsync(context, 200, count.ToJsonString(), ct);
            return;
        }

        var reply = ReplyGenerator.Generate(call, fault, sequence);
        var responseId = protocol switch
        {
            OpenAIProtocol => OpenAIProtocol.Id("chatcmpl-EMU", sequence),
            OpenAIResponsesProtocol => OpenAIProtocol.Id("resp_EMU", sequence),
            AnthropicProtocol => OpenAIProtocol.Id("msg_EMU", sequence),
            _ => OpenAIProtocol.Id("EMU", sequence),
        };
        var created = options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (call.Stream)
        {
            await StreamAsync(context, protocol, protocol.Stream(call, reply, responseId, created), fault, requestId, ct);
            return;
        }

        var pacing = options.TokensPerSecond > 0 ? reply.CompletionTokens * 1000.0 / options.TokensPerSecond : 0;
        await DelayAsync(options.TimeToFirstTokenMs + pacing, ct);
        var json = fault.Malformed ? "{\"id\":\"broken\",\"choices\":[{" : protocol.Response(call, reply, responseId, created).ToJsonString();
        await WriteJsonAsync(context, 200, json, ct);
    }

    private async Task StreamAsync(HttpContext context, IProviderProtocol protocol, StreamScript script, FaultSpec fault, string requestId, CancellationToken ct)
    {
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        await DelayAsync(options.TimeToFirstTokenMs, ct);
        foreach (var frame in script.Prelude)
        {
            await response.WriteAsync(frame, ct);
        }

        if (fault.Malformed)
        {
            await response.WriteAsync(protocol.MalformedFrame(), ct);
            return;
        }

        await response.Body.FlushAsync(ct);
        var pacingMs = options.TokensPerSecond > 0 ? 1000.0 / options.TokensPerSecond : 0;
        for (var i = 0; i <= script.Content.Count; i++)
        {
            if (i == fault.CutAfterChunks)
            {
                // Abort resets the socket at once and drops bytes still queued in the transport: let them leave first.
                await response.Body.FlushAsync(ct);
                await Task.Delay(CutGrace, TimeProvider.System, ct); // transport grace: real time whatever the clock
                context.Abort();
                return;
            }

            if (i == fault.ErrorAfterChunks)
            {
                await response.WriteAsync(protocol.InStreamError(requestId), ct);
                await response.Body.FlushAsync(ct);
                return;
            }

            if (i == fault.StallAfterChunks)
            {
                await response.Body.FlushAsync(ct);
                await Task.Delay(Timeout.InfiniteTimeSpan, options.TimeProvider, ct);
            }

            if (i == script.Content.Count)
            {
                break;
            }

            if (i > 0)
            {
                await DelayAsync(pacingMs, ct);
            }

            await response.WriteAsync(script.Content[i], ct);
            await response.Body.FlushAsync(ct);
        }

        foreach (var frame in script.Epilogue)
        {
            await response.WriteAsync(frame, ct);
        }

        await response.Body.FlushAsync(ct);
    }

    private Task DelayAsync(double milliseconds, CancellationToken ct) =>
        milliseconds > 0 ? Task.Delay(TimeSpan.FromMilliseconds(milliseconds), options.TimeProvider, ct) : Task.CompletedTask;

    internal static async Task WriteJsonAsync(HttpContext context, int status, string json, CancellationToken ct)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json, ct);
    }

    /// <summary>Writes a provider error with its retry headers.</summary>
    private sealed class ErrorWriter(HttpContext context, IProviderProtocol protocol, string model, string requestId)
    {
        public Task WriteAsync(string kind, string? message, FaultSpec fault, CancellationToken ct)
        {
            var status = fault.Status ?? protocol.StatusFor(kind);
            if (fault.RetryAfterSeconds is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            if (fault.RetryAfterMs is { } ms)
            {
                context.Response.Headers["retry-after-ms"] = ms.ToString(CultureInfo.InvariantCulture);
            }

            var body = protocol.ErrorBody(status, kind, message, model, requestId, fault);
            return WriteJsonAsync(context, status, body.ToJsonString(), ct);
        }
    }
}
