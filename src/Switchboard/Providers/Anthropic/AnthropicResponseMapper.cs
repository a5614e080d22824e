using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;

namespace Switchboard.Providers.Anthropic;

/// <summary>Maps a Messages API reply to a <see cref="ChatResponse"/>. Pure.</summary>
internal static class AnthropicResponseMapper
{
    /// <summary>Maps a reply read from the wire; one without content is a <see cref="ProviderErrorKind.MalformedResponse"/>.</summary>
    public static ChatResponse FromAnthropic(AnthropicMessage? reply, string provider)
    {
        if (reply?.Content is null)
        {
            throw new ProviderException(ProviderErrorKind.MalformedResponse, $"{provider} sent a reply without content.", provider);
        }

        return FromAnthropic(reply);
    }

    /// <summary>Maps a parsed reply: its blocks, stop reason and usage.</summary>
    public static ChatResponse FromAnthropic(AnthropicMessage reply)
    {
        var contents = new List<AIContent>(reply.Content?.Count ?? 0);
        foreach (var block in reply.Content ?? [])
        {
            if (ToContent(block) is { } content)
            {
                contents.Add(content);
            }
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents) { MessageId = reply.Id })
        {
            ResponseId = reply.Id,
            ModelId = reply.Model,
            FinishReason = ToFinishReason(reply.StopReason),
            Usage = ToUsage(reply.Usage),
            RawRepresentation = reply,
        };
    }

    /// <summary>
    /// Maps a whole block: text → <see cref="TextContent"/>, tool_use → <see cref="FunctionCallContent"/>, thinking →
    /// <see cref="TextReasoningContent"/> (its signature, or a redacted block's data, in <see cref="TextReasoningContent.ProtectedData"/>
    /// so it can be echoed back). Block types the adapter does not model give null (they stay in the raw representation).
    /// </summary>
    public static AIContent? ToContent(AnthropicContentBlock block) => block.Type switch
    {
        "text" => new TextContent(block.Text ?? "") { RawRepresentation = block },
        "tool_use" => ToFunctionCall(block.Id, block.Name, block.Input),
        "thinking" => new TextReasoningContent(block.Thinking ?? "") { ProtectedData = block.Signature, RawRepresentation = block },
        "redacted_thinking" => new TextReasoningContent("") { ProtectedData = block.Data, RawRepresentation = block },
        _ => null,
    };

    /// <summary>A tool call; its input object becomes the arguments (values as <see cref="JsonElement"/>).</summary>
    public static FunctionCallContent ToFunctionCall(string? id, string? name, JsonElement? input)
    {
        var arguments = input is { ValueKind: JsonValueKind.Object } value
            ? value.Deserialize(AnthropicJsonContext.Default.DictionaryStringObject)
            : new Dictionary<string, object?>();
        return new FunctionCallContent(id ?? "", name ?? "", arguments);
    }

    /// <summary>
    /// Maps <c>stop_reason</c>. <c>pause_turn</c> (a server-tool turn paused, to be sent back to continue) and unknown
    /// reasons are kept under their own names; <c>model_context_window_exceeded</c> is a length stop.
    /// </summary>
    public static ChatFinishReason? ToFinishReason(string? reason) => reason switch
    {
        null or "" => null,
        "end_turn" or "stop_sequence" => ChatFinishReason.Stop,
        "max_tokens" or "model_context_window_exceeded" => ChatFinishReason.Length,
        "tool_use" => ChatFinishReason.ToolCalls,
        "refusal" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(reason),
    };

    /// <summary>
    /// Maps <c>usage</c> to the canonical semantics of <see cref="UsageKeys"/>: input includes cache reads and writes, which
    /// Anthropic counts apart from <c>input_tokens</c>. Counts not reported stay null.
    /// </summary>
    public static UsageDetails? ToUsage(AnthropicUsage? usage)
    {
        if (usage is null)
        {
            return null;
        }

        long? input = usage.InputTokens is null && usage.CacheReadInputTokens is null && usage.CacheCreationInputTokens is null
            ? null
            : (usage.InputTokens ?? 0) + (usage.CacheReadInputTokens ?? 0) + (usage.CacheCreationInputTokens ?? 0);
        var details = new UsageDetails
        {
            InputTokenCount = input,
            CachedInputTokenCount = usage.CacheReadInputTokens,
            OutputTokenCount = usage.OutputTokens,
            ReasoningTokenCount = usage.OutputTokensDetails?.ThinkingTokens,
            TotalTokenCount = input is null && usage.OutputTokens is null ? null : (input ?? 0) + (usage.OutputTokens ?? 0),
        };
        if (usage.CacheCreationInputTokens is long written)
        {
            details.AdditionalCounts = new() { [UsageKeys.CacheWriteInputTokens] = written };
        }

        return details;
    }
}
