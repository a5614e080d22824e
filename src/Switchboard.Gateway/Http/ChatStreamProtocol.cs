using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Gateway.Edges;

namespace Switchboard.Gateway.Http;

/// <summary>
/// The original design's <c>POST /api/chat/stream</c>: body <c>{"message","system_prompt","task_type","prefer_cost"}</c>,
/// frames <c>data: {"content"}</c>, errors <c>data: {"error"}</c>, and a final <c>data: {"done": true, provider, model, usage, cost_usd}</c>.
/// </summary>
internal sealed class ChatStreamProtocol : IEdgeProtocol
{
    public static readonly ChatStreamProtocol Instance = new();

    public EdgeRequest Parse(ReadOnlyMemory<byte> body)
    {
        Endpoints.ChatStreamRequest? request;
        // The same checks as the other edges (text, numbers, depth, duplicate keys) before the typed read.
        EdgeJson.ParseObject(body, "The body is not valid JSON.", "The body must be a JSON object.").Dispose();
        try
        {
            request = JsonSerializer.Deserialize(body.Span, GatewayJsonContext.Default.ChatStreamRequest);
        }
        catch (JsonException e)
        {
            throw new EdgeRequestException($"The body is not valid JSON for this endpoint: {e.Message}", e.Path);
        }

        if (request is null || string.IsNullOrWhiteSpace(request.Message))
        {
            throw new EdgeRequestException("'message' is required and must be a non-empty string.", "message");
        }

        if (request.Temperature is { } temperature && !(temperature is >= 0 and <= 2))
        {
            throw new EdgeRequestException("'temperature' must be a number from 0 to 2.", "temperature");
        }

        if (request.MaxTokens is < 1)
        {
            throw new EdgeRequestException("'max_tokens' must be a positive integer.", "max_tokens");
        }

        var messages = new List<ChatMessage>(2);
        if (!string.IsNullOrEmpty(request.SystemPrompt))
        {
            messages.Add(new ChatMessage(ChatRole.System, request.SystemPrompt));
        }

        messages.Add(new ChatMessage(ChatRole.User, request.Message));
        var options = new ChatOptions
        {
            Temperature = request.Temperature,
            MaxOutputTokens = request.MaxTokens,
        };
        return new EdgeRequest(request.Model, messages, options, Stream: true, IncludeUsage: true)
        {
            Route = new RouteOptions { Task = request.TaskType, PreferCost = request.PreferCost },
        };
    }

    public byte[] WriteResponse(ChatResponse response, EdgeRequest request, string requestId, long created) =>
        throw new NotSupportedException("This endpoint only streams.");

    public IEdgeStream CreateStream(EdgeRequest request, string requestId, long created, long estimatedInputTokens) => new Stream();

    public byte[] WriteError(GatewayError error) => Json(w => w.WriteString("error", error.Message));

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private sealed class Stream : IEdgeStream
    {
        public IEnumerable<SseFrame> Start() => [];

        public IEnumerable<SseFrame> OnUpdate(ChatResponseUpdate update)
        {
            var text = update.Text;
            return text.Length == 0 ? [] : [new SseFrame(null, Json(w => w.WriteString("content", text)))];
        }

        public IEnumerable<SseFrame> Complete(UsageDetails? usage, RoutingResult? result) =>
        [
            new SseFrame(null, Json(w =>
            {
                w.WriteBoolean("done", true);
                w.WriteString("provider", result?.Deployment?.Provider);
                w.WriteString("model", result?.Deployment?.Model);
                w.WriteStartObject("usage");
                WriteCount(w, "input_tokens", usage?.InputTokenCount);
                WriteCount(w, "output_tokens", usage?.OutputTokenCount);
                WriteCount(w, "total_tokens", usage?.TotalTokenCount ?? (usage is null ? null : (usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0)));
                w.WriteEndObject();
                if (result?.CostUsd is { } cost)
                {
                    w.WriteNumber("cost_usd", cost);
                }
                else
                {
                    w.WriteNull("cost_usd");
                }
            })),
        ];

        public SseFrame Error(GatewayError error) => new(null, Json(w => w.WriteString("error", error.Message)));

        private static void WriteCount(Utf8JsonWriter w, string name, long? value)
        {
            if (value is { } v)
            {
                w.WriteNumber(name, v);
            }
            else
            {
                w.WriteNull(name);
            }
        }
    }
}
