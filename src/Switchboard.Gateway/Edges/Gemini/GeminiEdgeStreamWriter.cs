using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.Gemini;

/// <summary>
/// Turns a canonical update stream into Gemini <c>streamGenerateContent?alt=sse</c> frames: <c>data: {GenerateContentResponse}</c>
/// with no event names (Google's SDKs read nothing else). One instance per response; not thread-safe.
/// </summary>
/// <remarks>Each update with text or calls becomes a chunk; the last chunk carries <c>finishReason</c> and the full
/// <c>usageMetadata</c>. A broken stream ends with <see cref="Error"/>.</remarks>
internal sealed class GeminiEdgeStreamWriter(string model, string responseId, long estimatedInputTokens, bool includeThoughts)
{
    private readonly string _model = model;
    private readonly string _responseId = responseId;
    private readonly long _estimatedInputTokens = estimatedInputTokens;
    private readonly bool _includeThoughts = includeThoughts;
    private ChatFinishReason? _finishReason;
    private UsageDetails? _usage;

    public IEnumerable<SseFrame> OnUpdate(ChatResponseUpdate update)
    {
        if (update.FinishReason is { } reason)
        {
            _finishReason = reason;
        }

        foreach (var content in update.Contents)
        {
            if (content is UsageContent { Details: var details })
            {
                _usage = details;
            }
        }

        var parts = update.Contents.Where(c => c is TextContent { Text.Length: > 0 } or FunctionCallContent
            || (_includeThoughts && c is TextReasoningContent { Text.Length: > 0 })).ToList();
        if (parts.Count == 0)
        {
            return [];
        }

        return [new SseFrame(null, Chunk(parts, finishReason: null, usage: null))];
    }

    /// <summary>The final chunk: finish reason and usage.</summary>
    public IEnumerable<SseFrame> Complete(UsageDetails? usage) =>
        [new SseFrame(null, Chunk([], GeminiEdgeResponseWriter.FinishReason(_finishReason), usage ?? _usage ?? new UsageDetails()))];

    /// <summary>The frame that ends a broken stream: <c>data: {"error":{...}}</c>.</summary>
    public static SseFrame Error(int code, string message) => new(null, GeminiEdgeResponseWriter.WriteError(code, message));

    private byte[] Chunk(List<AIContent> parts, string? finishReason, UsageDetails? usage) =>
        EdgeJsonWriter.Build((self: this, parts, finishReason, usage), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("candidates");
            w.WriteStartObject();
            w.WriteStartObject("content");
            w.WriteString("role", "model");
            w.WriteStartArray("parts");
            if (s.parts.Count == 0)
            {
                GeminiEdgeResponseWriter.WriteText(w, string.Empty);
            }

            foreach (var part in s.parts)
            {
                GeminiEdgeResponseWriter.WritePart(w, part, s.self._includeThoughts);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            if (s.finishReason is not null)
            {
                w.WriteString("finishReason", s.finishReason);
            }

            w.WriteNumber("index", 0);
            w.WriteEndObject();
            w.WriteEndArray();
            if (s.usage is not null)
            {
                GeminiEdgeResponseWriter.WriteUsage(w, s.usage, s.self._estimatedInputTokens);
            }

            w.WriteString("modelVersion", s.self._model);
            w.WriteString("responseId", s.self._responseId);
            w.WriteEndObject();
        });
}
