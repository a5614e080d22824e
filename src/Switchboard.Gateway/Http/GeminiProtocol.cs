using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.Gemini;

namespace Switchboard.Gateway.Http;

/// <summary>
/// <c>POST /v1beta/models/{model}:generateContent</c> and <c>:streamGenerateContent</c>: the model and the streaming choice
/// come from the URL, so one instance serves one request.
/// </summary>
internal sealed class GeminiProtocol(string model, bool stream) : IEdgeProtocol
{
    private bool _includeThoughts;

    /// <summary>Only for writing errors (before a model is known).</summary>
    public static readonly GeminiProtocol Errors = new(string.Empty, stream: false);

    public EdgeRequest Parse(ReadOnlyMemory<byte> body) => GeminiEdgeRequestMapper.Parse(body, model, stream, out _includeThoughts);

    /// <summary>A <c>:countTokens</c> body.</summary>
    public EdgeRequest ParseCount(ReadOnlyMemory<byte> body) => GeminiEdgeRequestMapper.ParseCount(body, model);

    /// <summary><c>{"totalTokens": N}</c>.</summary>
    public static byte[] WriteCount(long totalTokens) => EdgeJsonWriter.Build(totalTokens, static (w, n) =>
    {
        w.WriteStartObject();
        w.WriteNumber("totalTokens", n);
        w.WriteEndObject();
    });

    /// <summary><c>{"models":[{"name":"models/ID", ...}]}</c>.</summary>
    public static byte[] WriteModels(IReadOnlyList<string> names) => EdgeJsonWriter.Build(names, static (w, list) =>
    {
        w.WriteStartObject();
        w.WriteStartArray("models");
        foreach (var name in list)
        {
            w.WriteStartObject();
            w.WriteString("name", "models/" + name);
            w.WriteString("displayName", name);
            w.WriteStartArray("supportedGenerationMethods");
            w.WriteStringValue("generateContent");
            w.WriteStringValue("streamGenerateContent");
            w.WriteStringValue("countTokens");
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    public byte[] WriteResponse(ChatResponse response, EdgeRequest request, string requestId, long created) =>
        GeminiEdgeResponseWriter.WriteResponse(response, response.ModelId ?? request.Model ?? model, requestId, _includeThoughts);

    public IEdgeStream CreateStream(EdgeRequest request, string requestId, long created, long estimatedInputTokens) =>
        new Stream(new GeminiEdgeStreamWriter(request.Model ?? model, requestId, estimatedInputTokens, _includeThoughts));

    public byte[] WriteError(GatewayError error) => GeminiEdgeResponseWriter.WriteError(error.Status, error.Message);

    private sealed class Stream(GeminiEdgeStreamWriter writer) : IEdgeStream
    {
        public IEnumerable<SseFrame> Start() => [];

        public IEnumerable<SseFrame> OnUpdate(ChatResponseUpdate update) => writer.OnUpdate(update);

        public IEnumerable<SseFrame> Complete(UsageDetails? usage, RoutingResult? result) => writer.Complete(usage);

        public SseFrame Error(GatewayError error) => GeminiEdgeStreamWriter.Error(error.Status, error.Message);
    }
}
