using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Gateway.Edges;

namespace Switchboard.Gateway.Http;

/// <summary>One client protocol at the edge: how its requests are read and its answers, streams and errors written.</summary>
internal interface IEdgeProtocol
{
    EdgeRequest Parse(ReadOnlyMemory<byte> body);

    byte[] WriteResponse(ChatResponse response, EdgeRequest request, string requestId, long created);

    IEdgeStream CreateStream(EdgeRequest request, string requestId, long created, long estimatedInputTokens);

    byte[] WriteError(GatewayError error);
}

/// <summary>The frames of one streamed answer in a client protocol.</summary>
internal interface IEdgeStream
{
    IEnumerable<SseFrame> Start();

    IEnumerable<SseFrame> OnUpdate(ChatResponseUpdate update);

    IEnumerable<SseFrame> Complete(UsageDetails? usage, RoutingResult? result);

    /// <summary>The frame that ends a broken stream; no completion frame follows it.</summary>
    SseFrame Error(GatewayError error);

    /// <summary>The frames that end a broken stream (Responses: an <c>error</c> event, then <c>response.failed</c>); by default <see cref="Error"/> alone.</summary>
    IEnumerable<SseFrame> Fail(GatewayError error) => [Error(error)];
}
