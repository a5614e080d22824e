using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Gateway.Edges;

namespace Switchboard.Gateway.Http;

/// <summary>One client protocol at the edge: how its requests are read and its answers, streams and errors written.</summary>
internal interface IEdgeProtocol
{
    EdgeRequest Parse(ReadOnlyMemory<byte> body);

    /// <summary>
    /// After parsing, before the pipeline: resolves what the request refers to on the gateway (Responses: the stored
    /// <c>previous_response_id</c>). An <see cref="EdgeRequestException"/> refuses the request with a 400. Nothing by default.
    /// </summary>
    ValueTask PrepareAsync(EdgeRequest request, CallerIdentity caller, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    byte[] WriteResponse(ChatResponse response, EdgeRequest request, string requestId, long created);

    /// <summary>After a non-streamed answer is written, before it is sent (Responses: stores it). Nothing by default.</summary>
    ValueTask CompletingAsync(EdgeRequest request, ReadOnlyMemory<byte> answer, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    IEdgeStream CreateStream(EdgeRequest request, string requestId, long created, long estimatedInputTokens);

    byte[] WriteError(GatewayError error);
}

/// <summary>The frames of one streamed answer in a client protocol.</summary>
internal interface IEdgeStream
{
    IEnumerable<SseFrame> Start();

    IEnumerable<SseFrame> OnUpdate(ChatResponseUpdate update);

    IEnumerable<SseFrame> Complete(UsageDetails? usage, RoutingResult? result);

    /// <summary>After <see cref="Complete"/> built the final frames, before they are sent (Responses: stores the response). Nothing by default.</summary>
    ValueTask CompletingAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>The frame that ends a broken stream; no completion frame follows it.</summary>
    SseFrame Error(GatewayError error);

    /// <summary>The frames that end a broken stream (Responses: an <c>error</c> event, then <c>response.failed</c>); by default <see cref="Error"/> alone.</summary>
    IEnumerable<SseFrame> Fail(GatewayError error) => [Error(error)];

    /// <summary>After <see cref="Fail"/> built the final frames, before they are sent (Responses: stores the failed response). Nothing by default.</summary>
    ValueTask FailingAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
