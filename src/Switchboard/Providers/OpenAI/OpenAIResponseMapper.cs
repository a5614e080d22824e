using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers.OpenAI;

/// <summary>Maps a Chat Completions reply to a <see cref="ChatResponse"/>. Pure.</summary>
internal static class OpenAIResponseMapper
{
    /// <summary>Maps a reply read from the wire; one without choices is a <see cref="ProviderErrorKind.MalformedResponse"/>.</summary>
    public static ChatResponse FromOpenAI(OpenAIChatCompletion? completion, string provider)
    {
        if (completion is null || completion.Choices is not { Count: > 0 })
        {
            throw new ProviderException(ProviderErrorKind.MalformedResponse, $"{provider} sent a reply without choices.", provider);
        }

        return FromOpenAI(completion);
    }

    /// <summary>Maps the first choice of a parsed reply.</summary>
    public static ChatResponse FromOpenAI(OpenAIChatCompletion completion)
    {
        var choice = completion.Choices![0];
        var wire = choice.Message;
        var contents = new List<AIContent>();
        if (!string.IsNullOrEmpty(wire?.ReasoningContent))
        {
            contents.Add(new TextReasoningContent(wire.ReasoningContent));
        }

        if (!string.IsNullOrEmpty(wire?.Content))
        {
            contents.Add(new TextContent(wire.Content));
        }

        // A refusal is the model's answer, so it is kept as text; the finish reason says why it is not the content asked for.
        var refused = !string.IsNullOrEmpty(wire?.Refusal);
        if (refused)
        {
            contents.Add(new TextContent(wire!.Refusal));
        }

        foreach (var call in wire?.ToolCalls ?? [])
        {
            contents.Add(ToFunctionCall(call.Id, call.Function?.Name, call.Function?.Arguments));
        }

        var message = new ChatMessage(ChatRole.Assistant, contents) { MessageId = completion.Id };
        return new ChatResponse(message)
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = ToCreatedAt(completion.Created),
            FinishReason = refused ? ChatFinishReason.ContentFilter : ToFinishReason(choice.FinishReason),
            Usage = ToUsage(completion.Usage),
            RawRepresentation = completion,
        };
    }

    /// <summary>Maps <c>finish_reason</c>; unknown values are kept as they are.</summary>
    public static ChatFinishReason? ToFinishReason(string? reason) => reason switch
    {
        null => null,
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(reason),
    };

    /// <summary>Maps <c>usage</c>; counts the provider did not report stay null.</summary>
    public static UsageDetails? ToUsage(OpenAIUsage? usage) => usage is null ? null : new UsageDetails
    {
        InputTokenCount = usage.PromptTokens,
        OutputTokenCount = usage.CompletionTokens,
        TotalTokenCount = usage.TotalTokens ?? (usage.PromptTokens + usage.CompletionTokens),
        CachedInputTokenCount = usage.PromptTokensDetails?.CachedTokens,
        ReasoningTokenCount = usage.CompletionTokensDetails?.ReasoningTokens,
    };

    /// <summary>A function call with its JSON-text arguments parsed; unparsable arguments are kept as the call's exception.</summary>
    public static FunctionCallContent ToFunctionCall(string? id, string? name, string? arguments) =>
        FunctionCallContent.CreateFromParsedArguments(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments, id ?? "", name ?? "",
            static json => JsonSerializer.Deserialize(json, OpenAIJsonContext.Default.DictionaryStringObject));

    public static DateTimeOffset? ToCreatedAt(long? created) =>
        created is long seconds and > 0 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
}
