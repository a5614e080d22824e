using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.OpenAI;
using Switchboard.Gateway.Edges.Responses;
using Switchboard.Gateway.Edges.Responses.Storage;

namespace Switchboard.Gateway.Http;

/// <summary>
/// <c>POST /v1/responses</c>: the OpenAI Responses API, bridged to any provider through the canonical model. Responses are
/// stored (unless the request says <c>store: false</c>) before their completion is sent, and <c>previous_response_id</c>
/// chains from them (<see cref="ResponsesState"/>).
/// </summary>
internal sealed class ResponsesProtocol(ResponsesState state) : IEdgeProtocol
{
    public EdgeRequest Parse(ReadOnlyMemory<byte> body) => ResponsesEdgeRequestMapper.Parse(body);

    /// <summary>A <c>POST /v1/responses/input_tokens</c> body: the Responses body, <c>model</c> optional.</summary>
    public static EdgeRequest ParseCount(ReadOnlyMemory<byte> body) => ResponsesEdgeRequestMapper.Parse(body, forCount: true);

    /// <summary><c>{"object":"response.input_tokens","input_tokens":N}</c>.</summary>
    public static byte[] WriteCount(long inputTokens) => EdgeJsonWriter.Build(inputTokens, static (w, n) =>
    {
        w.WriteStartObject();
        w.WriteString("object", "response.input_tokens");
        w.WriteNumber("input_tokens", n);
        w.WriteEndObject();
    });

    public ValueTask PrepareAsync(EdgeRequest request, CallerIdentity caller, CancellationToken cancellationToken) =>
        state.PrepareAsync(request, ContextOf(request), caller, cancellationToken);

    public byte[] WriteResponse(ChatResponse response, EdgeRequest request, string requestId, long created)
    {
        var context = ContextOf(request);
        return ResponsesEdgeResponseWriter.WriteResponse(response, context, response.ModelId ?? request.Model ?? "", context.ResponseId, created);
    }

    public ValueTask CompletingAsync(EdgeRequest request, ReadOnlyMemory<byte> answer, CancellationToken cancellationToken) =>
        state.SaveAsync(ContextOf(request), answer, cancellationToken);

    public IEdgeStream CreateStream(EdgeRequest request, string requestId, long created, long estimatedInputTokens)
    {
        var context = ContextOf(request);
        return new Stream(new ResponsesEdgeStreamWriter(context, request.Model ?? "", context.ResponseId, created), context, state);
    }

    public byte[] WriteError(GatewayError error) => OpenAIEdgeResponseWriter.WriteError(error.Message, error.Type, error.Code, error.Param);

    private static ResponsesEdgeContext ContextOf(EdgeRequest request) => request.State as ResponsesEdgeContext ?? new ResponsesEdgeContext();

    private sealed class Stream(ResponsesEdgeStreamWriter writer, ResponsesEdgeContext context, ResponsesState state) : IEdgeStream
    {
        public IEnumerable<SseFrame> Start() => writer.Start();

        public IEnumerable<SseFrame> OnUpdate(ChatResponseUpdate update) => writer.OnUpdate(update);

        public IEnumerable<SseFrame> Complete(UsageDetails? usage, RoutingResult? result) => writer.Complete(usage);

        /// <summary>Stores the final response (as <c>response.completed</c> carries it) before that event is sent.</summary>
        public ValueTask CompletingAsync(CancellationToken cancellationToken) =>
            writer.FinalResponse is { } response ? state.SaveAsync(context, response, cancellationToken) : ValueTask.CompletedTask;

        private ReadOnlyMemory<byte>? _failed;

        public SseFrame Error(GatewayError error) => Fail(error).Last();

        /// <summary>The <c>error</c> and <c>response.failed</c> events; the failed response they carry is kept for <see cref="FailingAsync"/>.</summary>
        public IEnumerable<SseFrame> Fail(GatewayError error)
        {
            var frames = writer.Fail(error.Code ?? error.Type, error.Message, error.Param).ToList();
            foreach (var frame in frames.Where(f => f.Event == "response.failed"))
            {
                using var document = System.Text.Json.JsonDocument.Parse(frame.Data);
                _failed = System.Text.Encoding.UTF8.GetBytes(document.RootElement.GetProperty("response").GetRawText());
            }

            return frames;
        }

        /// <summary>Stores the failed response (status <c>failed</c>, its <c>error</c>) before <c>response.failed</c> is sent, as OpenAI keeps failed responses.</summary>
        public ValueTask FailingAsync(CancellationToken cancellationToken) =>
            _failed is { } response ? state.SaveAsync(context, response, cancellationToken) : ValueTask.CompletedTask;
    }
}
