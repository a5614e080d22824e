using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.Anthropic;

namespace Switchboard.Gateway.Http;

/// <summary><c>POST /v1/messages</c>.</summary>
internal sealed class AnthropicProtocol : IEdgeProtocol
{
    public static readonly AnthropicProtocol Instance = new(null, null);

    /// <summary>The longest <c>anthropic-beta</c> / <c>anthropic-version</c> value passed on (real ones are far shorter).</summary>
    private const int MaxHeaderLength = 1024;

    private readonly string? _beta;
    private readonly string? _version;

    private AnthropicProtocol(string? beta, string? version)
    {
        _beta = beta;
        _version = version;
    }

    /// <summary>The protocol for one request: its <c>anthropic-beta</c> and <c>anthropic-version</c> headers, if any, go to an
    /// Anthropic upstream as sent (never to another provider).</summary>
    public static AnthropicProtocol For(Microsoft.AspNetCore.Http.HttpRequest request)
    {
        var beta = Bounded(request.Headers["anthropic-beta"].ToString());
        var version = Bounded(request.Headers["anthropic-version"].ToString());
        return beta is null && version is null ? Instance : new AnthropicProtocol(beta, version);
    }

    private static string? Bounded(string value) => value.Length is > 0 and <= MaxHeaderLength ? value : null;

    public EdgeRequest Parse(ReadOnlyMemory<byte> body) => AnthropicEdgeRequestMapper.Parse(body, beta: _beta, version: _version);

    /// <summary>A <c>/v1/messages/count_tokens</c> body: the Messages body without <c>max_tokens</c> (betas kept for an Anthropic upstream's count).</summary>
    public EdgeRequest ParseCount(ReadOnlyMemory<byte> body) => AnthropicEdgeRequestMapper.Parse(body, forCount: true, beta: _beta, version: _version);

    /// <summary><c>{"input_tokens": N}</c>.</summary>
    public static byte[] WriteCount(long inputTokens) => EdgeJsonWriter.Build(inputTokens, static (w, n) =>
    {
        w.WriteStartObject();
        w.WriteNumber("input_tokens", n);
        w.WriteEndObject();
    });

    public byte[] WriteResponse(ChatResponse response, EdgeRequest request, string requestId, long created) =>
        AnthropicEdgeResponseWriter.WriteResponse(response, response.ModelId ?? request.Model ?? "", "msg_" + requestId);

    public IEdgeStream CreateStream(EdgeRequest request, string requestId, long created, long estimatedInputTokens) =>
        new Stream(new AnthropicEdgeStreamWriter(request.Model ?? "", "msg_" + requestId, estimatedInputTokens));

    public byte[] WriteError(GatewayError error) => AnthropicEdgeResponseWriter.WriteError(error.AnthropicType, error.Message);

    private sealed class Stream(AnthropicEdgeStreamWriter writer) : IEdgeStream
    {
        public IEnumerable<SseFrame> Start() => writer.Start();

        public IEnumerable<SseFrame> OnUpdate(ChatResponseUpdate update) => writer.OnUpdate(update);

        public IEnumerable<SseFrame> Complete(UsageDetails? usage, RoutingResult? result) => writer.Complete(usage);

        public SseFrame Error(GatewayError error) => AnthropicEdgeStreamWriter.Error(error.AnthropicType, error.Message);
    }
}
