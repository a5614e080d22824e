using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Turns the <c>data:</c> payloads of one Chat Completions stream into <see cref="ChatResponseUpdate"/>s. Pure, one per stream.
/// Tool calls are emitted whole when the finish reason arrives; usage is emitted once, in the last update (<see cref="Complete"/>).
/// Event names are not part of the protocol and are ignored.
/// </summary>
internal sealed class OpenAIStreamDecoder(string provider, string? apiKey) : IProviderStreamDecoder
{
    private readonly List<OpenAIToolCallBuilder> _calls = [];
    private string? _id;
    private string? _model;
    private DateTimeOffset? _created;
    private ChatFinishReason? _finish;
    private bool _refused;

    /// <summary>Whether <c>[DONE]</c> has been seen.</summary>
    public bool IsDone { get; private set; }

    /// <summary>The latest usage reported, if any (partial usage for a broken stream).</summary>
    public UsageDetails? Usage { get; private set; }

    /// <summary>Decodes one payload (UTF-8 JSON, or <c>[DONE]</c>); returns null when it carries nothing for the caller.</summary>
    public ChatResponseUpdate? Decode(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.SequenceEqual("[DONE]"u8))
        {
            IsDone = true;
            return null;
        }

        OpenAIChatCompletion? chunk;
        try
        {
            chunk = JsonSerializer.Deserialize(data, OpenAIJsonContext.Default.OpenAIChatCompletion);
        }
        catch (JsonException ex)
        {
            throw Fail(new ProviderException(ProviderErrorKind.MalformedResponse, $"{provider} sent a stream chunk that is not valid JSON.",
                provider, innerException: ex));
        }

        if (chunk is null)
        {
            return null;
        }

        if (chunk.Error is { ValueKind: not JsonValueKind.Null } error)
        {
            throw Fail(OpenAIErrorMapper.MapStreamError(error, provider, apiKey));
        }

        _id ??= chunk.Id;
        _model ??= chunk.Model;
        _created ??= OpenAIResponseMapper.ToCreatedAt(chunk.Created);
        if (OpenAIResponseMapper.ToUsage(chunk.Usage) is { } usage)
        {
            Usage = usage; // cumulative where servers repeat it; kept for the last update
        }

        var contents = new List<AIContent>();
        ChatFinishReason? finish = null;
        foreach (var choice in chunk.Choices ?? [])
        {
            if (choice.Index != 0)
            {
                continue; // n > 1 is not supported: one answer per call
            }

            Collect(choice.Delta, contents);
            if (choice.FinishReason is { } reason)
            {
                finish = _refused ? ChatFinishReason.ContentFilter : OpenAIResponseMapper.ToFinishReason(reason);
                _finish = finish;
                FlushCalls(contents);
            }
        }

        return contents.Count == 0 && finish is null ? null : NewUpdate(contents, finish, chunk);
    }

    /// <summary>
    /// Ends the stream: returns the last update (tool calls still pending, usage), or null when there is nothing left.
    /// Throws <see cref="ProviderErrorKind.Network"/> when the stream ended without <c>[DONE]</c> and without a finish reason.
    /// </summary>
    public ChatResponseUpdate? Complete()
    {
        if (!IsDone && _finish is null)
        {
            throw Fail(new ProviderException(ProviderErrorKind.Network, $"The stream from {provider} ended prematurely.", provider));
        }

        var contents = new List<AIContent>();
        FlushCalls(contents);
        if (Usage is { } usage)
        {
            contents.Add(new UsageContent(usage));
        }

        return contents.Count == 0 ? null : NewUpdate(contents, null, null);
    }

    private void Collect(OpenAIMessage? delta, List<AIContent> contents)
    {
        if (delta is null)
        {
            return;
        }

        if (!string.IsNullOrEmpty(delta.ReasoningContent))
        {
            contents.Add(new TextReasoningContent(delta.ReasoningContent));
        }

        if (!string.IsNullOrEmpty(delta.Content))
        {
            contents.Add(new TextContent(delta.Content));
        }

        if (!string.IsNullOrEmpty(delta.Refusal))
        {
            _refused = true;
            contents.Add(new TextContent(delta.Refusal));
        }

        foreach (var piece in delta.ToolCalls ?? [])
        {
            var call = Find(piece);
            call.Id ??= piece.Id;
            call.Name ??= piece.Function?.Name;
            call.Arguments.Append(piece.Function?.Arguments);
        }
    }

    private OpenAIToolCallBuilder Find(OpenAIToolCall piece)
    {
        // Servers that omit "index" send each call whole: a new id means a new call.
        var index = piece.Index ?? (piece.Id is not null || _calls.Count == 0 ? _calls.Count : _calls[^1].Index);
        foreach (var call in _calls)
        {
            if (call.Index == index)
            {
                return call;
            }
        }

        var added = new OpenAIToolCallBuilder(index);
        _calls.Add(added);
        return added;
    }

    private void FlushCalls(List<AIContent> contents)
    {
        foreach (var call in _calls)
        {
            contents.Add(OpenAIResponseMapper.ToFunctionCall(call.Id, call.Name, call.Arguments.ToString()));
        }

        _calls.Clear();
    }

    private ChatResponseUpdate NewUpdate(List<AIContent> contents, ChatFinishReason? finish, OpenAIChatCompletion? raw) =>
        new(ChatRole.Assistant, contents)
        {
            ResponseId = _id,
            MessageId = _id,
            ModelId = _model,
            CreatedAt = _created,
            FinishReason = finish,
            RawRepresentation = raw,
        };

    private ProviderException Fail(ProviderException ex)
    {
        ex.PartialUsage ??= Usage;
        return ex;
    }
}
