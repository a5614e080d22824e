using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.OpenAI;

namespace Switchboard.Gateway.Http;

/// <summary><c>POST /v1/chat/completions</c>.</summary>
internal sealed class OpenAIProtocol : IEdgeProtocol
{
    public static readonly OpenAIProtocol Instance = new();

    public EdgeRequest Parse(ReadOnlyMemory<byte> body) => OpenAIEdgeRequestMapper.Parse(body);

    public byte[] WriteResponse(ChatResponse response, EdgeRequest request, string requestId, long created) =>
        OpenAIEdgeResponseWriter.WriteResponse(response, response.ModelId ?? request.Model ?? "", "chatcmpl-" + requestId, created);

    public IEdgeStream CreateStream(EdgeRequest request, string requestId, long created, long estimatedInputTokens) =>
        new Stream(new OpenAIEdgeStreamWriter(request.Model ?? "", "chatcmpl-" + requestId, created, request.IncludeUsage));

    public byte[] WriteError(GatewayError error) => OpenAIEdgeResponseWriter.WriteError(error.Message, error.Type, error.Code, error.Param);

    private sealed class Stream(OpenAIEdgeStreamWriter writer) : IEdgeStream
    {
        public IEnumerable<SseFrame> Start() => [];

        public IEnumerable<SseFrame> OnUpdate(ChatResponseUpdate update) => writer.OnUpdate(update);

        public IEnumerable<SseFrame> Complete(UsageDetails? usage, RoutingResult? result) => writer.Complete(usage);

        public SseFrame Error(GatewayError error) => OpenAIEdgeStreamWriter.Error(error.Message, error.Type, error.Code);
    }
}
