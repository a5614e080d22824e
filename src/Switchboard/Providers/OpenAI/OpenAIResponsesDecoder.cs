using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Maps a Responses <c>response</c> object and its output items to the canonical model. Text becomes
/// <see cref="TextContent"/>, calls <see cref="FunctionCallContent"/>, reasoning <see cref="TextReasoningContent"/> (its summary);
/// every item but a message also keeps its JSON under <see cref="PassThroughKeys.OpenAIResponsesItem"/>, so a Responses edge
/// can hand it back byte for byte (encrypted reasoning, hosted-tool calls, namespaces). Pure.
/// </summary>
internal static class OpenAIResponsesDecoder
{
    /// <summary>Maps a whole response; one that failed or has no output list is a provider error.</summary>
    public static ChatResponse FromResponse(OpenAIResponsesResponse? response, string provider, string? apiKey)
    {
        if (response is null || response.Output is null)
        {
            throw new ProviderException(ProviderErrorKind.MalformedResponse, $"{provider} sent a Responses reply without output.", provider);
        }

        if (response.Status == "failed" && response.Error is { ValueKind: JsonValueKind.Object } error)
        {
            throw OpenAIErrorMapper.MapStreamError(error, provider, apiKey);
        }

        var contents = new List<AIContent>();
        var refused = false;
        foreach (var item in response.Output)
        {
            refused |= AddItem(item, contents, includeMessages: true);
        }

        var message = new ChatMessage(ChatRole.Assistant, contents) { MessageId = response.Id };
        return new ChatResponse(message)
        {
            ResponseId = response.Id,
            ModelId = response.Model,
            CreatedAt = OpenAIResponseMapper.ToCreatedAt(response.CreatedAt),
            FinishReason = ToFinishReason(response, contents, refused),
            Usage = ToUsage(response.Usage),
            RawRepresentation = response,
        };
    }

    /// <summary>
    /// Adds the canonical contents of one output item; messages only when <paramref name="includeMessages"/> (a stream has sent
    /// their text already). Returns whether the item holds a refusal.
    /// </summary>
    public static bool AddItem(JsonElement item, List<AIContent> contents, bool includeMessages)
    {
        var type = Text(item, "type");
        switch (type)
        {
            case "message":
                return includeMessages && AddMessage(item, contents);
            case "function_call":
            {
                var call = OpenAIResponseMapper.ToFunctionCall(Text(item, "call_id"), FlatName(item), Text(item, "arguments"));
                contents.Add(Keep(call, item));
                return false;
            }

            case "custom_tool_call":
                contents.Add(Keep(new FunctionCallContent(Text(item, "call_id") ?? "", FlatName(item),
                    new Dictionary<string, object?> { ["input"] = Text(item, "input") ?? "" }), item));
                return false;
            case "reasoning":
                contents.Add(Keep(new TextReasoningContent(SummaryText(item)), item));
                return false;
            default:
                // Hosted-tool calls (web_search_call, file_search_call, …) and newer items: nothing canonical, kept as sent.
                contents.Add(Keep(new AIContent(), item));
                return false;
        }
    }

    public static UsageDetails? ToUsage(OpenAIResponsesUsage? usage) => usage is null ? null : new UsageDetails
    {
        InputTokenCount = usage.InputTokens,
        OutputTokenCount = usage.OutputTokens,
        TotalTokenCount = usage.TotalTokens ?? (usage.InputTokens + usage.OutputTokens),
        CachedInputTokenCount = usage.InputTokensDetails?.CachedTokens,
        ReasoningTokenCount = usage.OutputTokensDetails?.ReasoningTokens,
    };

    /// <summary>Incomplete for <c>max_output_tokens</c> is Length, for <c>content_filter</c> (or a refusal) ContentFilter; calls make ToolCalls.</summary>
    public static ChatFinishReason ToFinishReason(OpenAIResponsesResponse response, IEnumerable<AIContent> contents, bool refused) =>
        response.IncompleteDetails?.Reason switch
        {
            "max_output_tokens" => ChatFinishReason.Length,
            "content_filter" => ChatFinishReason.ContentFilter,
            _ when refused => ChatFinishReason.ContentFilter,
            _ when contents.Any(c => c is FunctionCallContent) => ChatFinishReason.ToolCalls,
            _ => ChatFinishReason.Stop,
        };

    private static bool AddMessage(JsonElement item, List<AIContent> contents)
    {
        var refused = false;
        if (!item.TryGetProperty("content", out var parts) || parts.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var part in parts.EnumerateArray())
        {
            switch (Text(part, "type"))
            {
                case "output_text" when Text(part, "text") is { Length: > 0 } text:
                    contents.Add(new TextContent(text));
                    break;
                case "refusal" when Text(part, "refusal") is { Length: > 0 } refusal:
                    refused = true;
                    contents.Add(new TextContent(refusal));
                    break;
            }
        }

        return refused;
    }

    private static T Keep<T>(T content, JsonElement item)
        where T : AIContent
    {
        (content.AdditionalProperties ??= [])[PassThroughKeys.OpenAIResponsesItem] = item.Clone();
        content.RawRepresentation = item;
        return content;
    }

    // A namespaced function's canonical name is namespace__name, as the Responses edge flattens it.
    private static string FlatName(JsonElement item)
    {
        var name = Text(item, "name") ?? "";
        return Text(item, "namespace") is { Length: > 0 } ns ? $"{ns}__{name}" : name;
    }

    private static string SummaryText(JsonElement item)
    {
        var text = new StringBuilder();
        if (item.TryGetProperty("summary", out var summary) && summary.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in summary.EnumerateArray())
            {
                if (Text(part, "text") is { Length: > 0 } piece)
                {
                    text.Append(text.Length > 0 ? "\n\n" : "").Append(piece);
                }
            }
        }

        return text.ToString();
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
