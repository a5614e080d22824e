using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Turns the events of one Responses stream into <see cref="ChatResponseUpdate"/>s: text deltas as they come, every other output
/// item whole at <c>response.output_item.done</c> (see <see cref="OpenAIResponsesDecoder.AddItem"/>), the finish reason and usage
/// from the terminal <c>response.completed</c> / <c>response.incomplete</c>. <c>error</c> and <c>response.failed</c> are provider
/// errors. Pure, one per stream.
/// </summary>
internal sealed class OpenAIResponsesStreamDecoder(string provider, string? apiKey) : IProviderStreamDecoder
{
    private readonly List<AIContent> _items = [];
    private string? _id;
    private string? _model;
    private DateTimeOffset? _created;
    private bool _refused;

    /// <summary>Whether the terminal event has been seen.</summary>
    public bool IsDone { get; private set; }

    public UsageDetails? Usage { get; private set; }

    public ChatResponseUpdate? Decode(string eventType, ReadOnlySpan<byte> data)
    {
        OpenAIResponsesEvent? e;
        try
        {
            e = JsonSerializer.Deserialize(data, OpenAIJsonContext.Default.OpenAIResponsesEvent);
        }
        catch (JsonException ex)
        {
            throw Fail(new ProviderException(ProviderErrorKind.MalformedResponse, $"{provider} sent a stream event that is not valid JSON.",
                provider, innerException: ex));
        }

        switch (e?.Type)
        {
            case "response.created" or "response.in_progress":
                _id ??= e.Response?.Id;
                _model ??= e.Response?.Model;
                _created ??= OpenAIResponseMapper.ToCreatedAt(e.Response?.CreatedAt);
                return null;
            case "response.output_text.delta" when !string.IsNullOrEmpty(e.Delta):
                return NewUpdate([new TextContent(e.Delta)], null);
            case "response.refusal.delta" when !string.IsNullOrEmpty(e.Delta):
                _refused = true;
                return NewUpdate([new TextContent(e.Delta)], null);
            case "response.output_item.done" when e.Item is { ValueKind: JsonValueKind.Object } item:
            {
                var contents = new List<AIContent>();
                OpenAIResponsesDecoder.AddItem(item, contents, includeMessages: false);
                _items.AddRange(contents);
                return contents.Count == 0 ? null : NewUpdate(contents, null);
            }

            case "response.completed" or "response.incomplete":
            {
                IsDone = true;
                Usage = OpenAIResponsesDecoder.ToUsage(e.Response?.Usage) ?? Usage;
                var finish = e.Response is { } response ? OpenAIResponsesDecoder.ToFinishReason(response, _items, _refused) : ChatFinishReason.Stop;
                return NewUpdate([], finish);
            }

            case "response.failed":
                throw Fail(e.Response?.Error is { ValueKind: JsonValueKind.Object } error
                    ? OpenAIErrorMapper.MapStreamError(error, provider, apiKey)
                    : new ProviderException(ProviderErrorKind.ServerError, $"{provider} reported the response as failed.", provider));
            case "error":
                using (var document = JsonDocument.Parse(data.ToArray()))
                {
                    throw Fail(OpenAIErrorMapper.MapStreamError(document.RootElement, provider, apiKey));
                }

            default:
                return null;
        }
    }

    /// <summary>The usage, once the terminal event came; a stream that ended without one ended prematurely.</summary>
    public ChatResponseUpdate? Complete()
    {
        if (!IsDone)
        {
            throw Fail(new ProviderException(ProviderErrorKind.Network, $"The stream from {provider} ended prematurely.", provider));
        }

        return Usage is { } usage ? NewUpdate([new UsageContent(usage)], null) : null;
    }

    private ChatResponseUpdate NewUpdate(List<AIContent> contents, ChatFinishReason? finish) =>
        new(ChatRole.Assistant, contents)
        {
            ResponseId = _id,
            MessageId = _id,
            ModelId = _model,
            CreatedAt = _created,
            FinishReason = finish,
        };

    private ProviderException Fail(ProviderException ex)
    {
        ex.PartialUsage ??= Usage;
        return ex;
    }
}
