using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Turns the named events of one Messages stream into <see cref="ChatResponseUpdate"/>s. Pure, one per stream. Text and
/// thinking are emitted as they arrive; a tool call is emitted whole at its <c>content_block_stop</c>, its
/// <c>input_json_delta</c> pieces joined; the last update (at <c>message_stop</c>) carries the finish reason and the usage.
/// </summary>
internal sealed class AnthropicStreamDecoder(string provider, string? apiKey) : IProviderStreamDecoder
{
    private readonly Dictionary<int, ToolBlock> _tools = [];
    private readonly AnthropicUsage _usage = new();
    private bool _usageSeen;
    private string? _id;
    private string? _model;
    private string? _stopReason;

    /// <summary>Whether <c>message_stop</c> has arrived; nothing after it matters.</summary>
    public bool IsDone { get; private set; }

    /// <summary>The usage reported so far (input from <c>message_start</c>, cumulative output from <c>message_delta</c>), if any.</summary>
    public UsageDetails? Usage => _usageSeen ? AnthropicResponseMapper.ToUsage(_usage) : null;

    /// <summary>Decodes one event by its SSE event name and UTF-8 data; returns null when it carries nothing for the caller.</summary>
    public ChatResponseUpdate? Decode(string eventType, ReadOnlySpan<byte> data)
    {
        if (IsDone || eventType == "ping")
        {
            return null;
        }

        if (eventType == "error")
        {
            throw Fail(AnthropicErrorMapper.Map(data, provider, apiKey));
        }

        AnthropicStreamEvent? e;
        try
        {
            e = JsonSerializer.Deserialize(data, AnthropicJsonContext.Default.AnthropicStreamEvent);
        }
        catch (JsonException ex)
        {
            throw Fail(new ProviderException(ProviderErrorKind.MalformedResponse,
                $"{provider} sent a stream event that is not valid JSON ({eventType}).", provider, innerException: ex));
        }

        if (e is null)
        {
            return null;
        }

        // The SDKs dispatch on the event name; an event without one (SSE default "message") falls back to its data's type.
        return (eventType == "message" ? e.Type : eventType) switch
        {
            "message_start" => Start(e),
            "content_block_start" => BlockStart(e),
            "content_block_delta" => BlockDelta(e),
            "content_block_stop" => BlockStop(e),
            "message_delta" => MessageDelta(e),
            "message_stop" => Stop(e),
            "error" => throw Fail(AnthropicErrorMapper.Map(data, provider, apiKey)),
            _ => null, // ping and event types added later are ignored, as the SDKs do
        };
    }

    /// <summary>
    /// Ends the stream: nothing is left after <c>message_stop</c> (it carried the finish reason and usage); throws
    /// <see cref="ProviderErrorKind.Network"/> (with the partial usage) when it never came.
    /// </summary>
    public ChatResponseUpdate? Complete() => IsDone
        ? null
        : throw Fail(new ProviderException(ProviderErrorKind.Network, $"The stream from {provider} ended prematurely (no message_stop).", provider));

    private ChatResponseUpdate? Start(AnthropicStreamEvent e)
    {
        _id = e.Message?.Id;
        _model = e.Message?.Model;
        Merge(e.Message?.Usage);
        return null;
    }

    private ChatResponseUpdate? BlockStart(AnthropicStreamEvent e)
    {
        var block = e.ContentBlock;
        switch (block?.Type)
        {
            case "tool_use":
                _tools[e.Index ?? 0] = new ToolBlock(block.Id, block.Name, block.Input);
                return null;
            case "text" when !string.IsNullOrEmpty(block.Text):
            case "thinking" when !string.IsNullOrEmpty(block.Thinking):
            case "redacted_thinking":
                return AnthropicResponseMapper.ToContent(block) is { } content ? NewUpdate(content, e) : null;
            default:
                return null;
        }
    }

    private ChatResponseUpdate? BlockDelta(AnthropicStreamEvent e)
    {
        var delta = e.Delta;
        switch (delta?.Type)
        {
            case "text_delta" when !string.IsNullOrEmpty(delta.Text):
                return NewUpdate(new TextContent(delta.Text), e);
            case "thinking_delta" when !string.IsNullOrEmpty(delta.Thinking):
                return NewUpdate(new TextReasoningContent(delta.Thinking), e);
            case "signature_delta" when !string.IsNullOrEmpty(delta.Signature):
                // Coalesces with the thinking text before it (Microsoft.Extensions.AI merges up to the first ProtectedData).
                return NewUpdate(new TextReasoningContent("") { ProtectedData = delta.Signature }, e);
            case "input_json_delta" when _tools.TryGetValue(e.Index ?? 0, out var tool):
                tool.Json.Append(delta.PartialJson);
                return null;
            default:
                return null;
        }
    }

    private ChatResponseUpdate? BlockStop(AnthropicStreamEvent e)
    {
        if (!_tools.Remove(e.Index ?? 0, out var tool))
        {
            return null;
        }

        JsonElement? input = tool.StartInput;
        if (tool.Json.Length > 0)
        {
            try
            {
                input = JsonElement.Parse(tool.Json.ToString());
            }
            catch (JsonException ex)
            {
                throw Fail(new ProviderException(ProviderErrorKind.MalformedResponse,
                    $"{provider} streamed tool input for '{tool.Name}' that is not valid JSON.", provider, innerException: ex));
            }
        }

        return NewUpdate(AnthropicResponseMapper.ToFunctionCall(tool.Id, tool.Name, input), e);
    }

    private ChatResponseUpdate? MessageDelta(AnthropicStreamEvent e)
    {
        _stopReason = e.Delta?.StopReason ?? _stopReason;
        Merge(e.Usage);
        return null;
    }

    private ChatResponseUpdate Stop(AnthropicStreamEvent e)
    {
        IsDone = true;
        var update = NewUpdate(null, e);
        update.FinishReason = AnthropicResponseMapper.ToFinishReason(_stopReason);
        if (Usage is { } usage)
        {
            update.Contents.Add(new UsageContent(usage));
        }

        return update;
    }

    // message_delta's usage is cumulative and may repeat input and cache counts: the latest reported value of each wins.
    private void Merge(AnthropicUsage? usage)
    {
        if (usage is null)
        {
            return;
        }

        _usageSeen = true;
        _usage.InputTokens = usage.InputTokens ?? _usage.InputTokens;
        _usage.OutputTokens = usage.OutputTokens ?? _usage.OutputTokens;
        _usage.CacheCreationInputTokens = usage.CacheCreationInputTokens ?? _usage.CacheCreationInputTokens;
        _usage.CacheReadInputTokens = usage.CacheReadInputTokens ?? _usage.CacheReadInputTokens;
        _usage.OutputTokensDetails = usage.OutputTokensDetails ?? _usage.OutputTokensDetails;
    }

    private ChatResponseUpdate NewUpdate(AIContent? content, AnthropicStreamEvent raw) =>
        new(ChatRole.Assistant, content is null ? [] : [content])
        {
            ResponseId = _id,
            MessageId = _id,
            ModelId = _model,
            RawRepresentation = raw,
        };

    private ProviderException Fail(ProviderException ex)
    {
        ex.PartialUsage ??= Usage;
        return ex;
    }

    private sealed record ToolBlock(string? Id, string? Name, JsonElement? StartInput)
    {
        public StringBuilder Json { get; } = new();
    }
}
