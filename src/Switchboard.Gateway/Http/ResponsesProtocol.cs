using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.OpenAI;
using Switchboard.Gateway.Edges.Responses;

namespace Switchboard.Gateway.Http;

/// <summary><c>POST /v1/responses</c>: the OpenAI Responses API, bridged to any provider through the canonical model.</summary>
internal sealed class ResponsesProtocol : IEdgeProtocol
{
    public static readonly ResponsesProtocol Instance = new();

    public EdgeRequest Parse(ReadOnlyMemory<byte> body) => ResponsesEdgeRequestMapper.Parse(body);

    public byte[] WriteResponse(ChatResponse response, EdgeRequest request, string requestId, long created) =>
        ResponsesEdgeResponseWriter.WriteResponse(response, ContextOf(request), response.ModelId ?? request.Model ?? "", "resp_" + requestId, created);

    public IEdgeStream CreateStream(EdgeRequest request, string requestId, long created, long estimatedInputTokens) =>
        new Stream(new ResponsesEdgeStreamWriter(ContextOf(request), request.Model ?? "", "resp_" + requestId, created));

    public byte[] WriteError(GatewayError error) => OpenAIEdgeResponseWriter.WriteError(error.Message, error.Type, error.Code, error.Param);

    private static ResponsesEdgeContext ContextOf(EdgeRequest request) => request.State as ResponsesEdgeContext ?? new ResponsesEdgeContext();

    private sealed class Stream(ResponsesEdgeStreamWriter writer) : IEdgeStream
    {
        public IEnumerable<SseFrame> Start() => writer.Start();

        public IEnumerable<SseFrame> OnUpdate(ChatResponseUpdate update) => writer.OnUpdate(update);

        public IEnumerable<SseFrame> Complete(UsageDetails? usage, RoutingResult? result) => writer.Complete(usage);

        public SseFrame Error(GatewayError error) => writer.Fail(error.Code ?? error.Type, error.Message, error.Param).Last();

        public IEnumerable<SseFrame> Fail(GatewayError error) => writer.Fail(error.Code ?? error.Type, error.Message, error.Param);
    }
}
