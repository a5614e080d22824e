using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;

namespace Switchboard.Providers.Gemini;

/// <summary>Maps a <c>generateContent</c> reply to a <see cref="ChatResponse"/>. Pure.</summary>
internal static class GeminiResponseMapper
{
    /// <summary>Key of <see cref="AIContent.AdditionalProperties"/> holding a part's <c>thoughtSignature</c>, echoed back on the next turn.</summary>
    public const string ThoughtSignatureKey = "thoughtSignature";

    /// <summary>Prefix of the call ids made up for function calls Gemini sent without an <c>id</c>.</summary>
    public const string GeneratedCallIdPrefix = "call_";

    /// <summary>
    /// Maps the first candidate of a reply read from the wire. A blocked prompt (no candidates) is
    /// <see cref="ProviderErrorKind.ContentFiltered"/>; an empty reply (JSON <c>null</c>) is <see cref="ProviderErrorKind.MalformedResponse"/>.
    /// </summary>
    public static ChatResponse FromGemini(GeminiResponse? reply, string provider, string? apiKey = null)
    {
        if (reply is null)
        {
            throw new ProviderException(ProviderErrorKind.MalformedResponse, $"{provider} sent an empty reply.", provider);
        }

        if (reply.Error is { ValueKind: JsonValueKind.Object } error)
        {
            throw GeminiErrorMapper.MapStreamError(error, provider, apiKey);
        }

        if (reply.Candidates is not { Count: > 0 } candidates)
        {
            throw BlockedOrEmpty(reply, provider);
        }

        var callIndex = 0;
        var contents = ToContents(candidates[0].Content?.Parts, ref callIndex);
        var message = new ChatMessage(ChatRole.Assistant, contents) { MessageId = reply.ResponseId };
        return new ChatResponse(message)
        {
            ResponseId = reply.ResponseId,
            ModelId = reply.ModelVersion,
            FinishReason = ToFinishReason(candidates[0].FinishReason, callIndex > 0),
            Usage = ToUsage(reply.UsageMetadata),
            RawRepresentation = reply,
        };
    }

    /// <summary>The error for a reply without candidates: the prompt's block reason, or a malformed reply.</summary>
    public static ProviderException BlockedOrEmpty(GeminiResponse reply, string provider)
    {
        if (reply.PromptFeedback?.BlockReason is { } reason)
        {
            var detail = string.IsNullOrWhiteSpace(reply.PromptFeedback.BlockReasonMessage) ? "" : ": " + reply.PromptFeedback.BlockReasonMessage;
            return new ProviderException(ProviderErrorKind.ContentFiltered, $"{provider} blocked the prompt ({reason}){detail}", provider,
                providerCode: reason) { PartialUsage = ToUsage(reply.UsageMetadata) };
        }

        return new ProviderException(ProviderErrorKind.MalformedResponse, $"{provider} sent a reply without candidates.", provider);
    }

    /// <summary>
    /// Maps parts to contents: thoughts to <see cref="TextReasoningContent"/>, text to <see cref="TextContent"/>, calls to
    /// <see cref="FunctionCallContent"/>. <paramref name="callIndex"/> numbers calls without an id, across a whole stream.
    /// </summary>
    public static List<AIContent> ToContents(IReadOnlyList<GeminiPart>? parts, ref int callIndex)
    {
        var contents = new List<AIContent>(parts?.Count ?? 0);
        foreach (var part in parts ?? [])
        {
            AIContent? content;
            if (part.FunctionCall is { } call)
            {
                content = ToFunctionCall(call, callIndex++);
            }
            else if (part.Thought == true)
            {
                content = new TextReasoningContent(part.Text ?? "") { ProtectedData = part.ThoughtSignature };
            }
            else if (part.Text is { } text && (text.Length > 0 || part.ThoughtSignature is not null))
            {
                content = new TextContent(text);
            }
            else
            {
                continue; // parts the adapter does not model (executable code, inline images out) are left in RawRepresentation
            }

            if (part.ThoughtSignature is { } signature && content is not TextReasoningContent)
            {
                (content.AdditionalProperties ??= [])[ThoughtSignatureKey] = signature;
            }

            contents.Add(content);
        }

        return contents;
    }

    /// <summary>A function call; the id is Gemini's when sent, else <c>call_{index}</c> (deterministic, unique within one answer).</summary>
    public static FunctionCallContent ToFunctionCall(GeminiFunctionCall call, int index)
    {
        var id = string.IsNullOrEmpty(call.Id) ? GeneratedCallIdPrefix + index.ToString(CultureInfo.InvariantCulture) : call.Id;
        var arguments = call.Args is { ValueKind: JsonValueKind.Object } args
            ? args.Deserialize(GeminiJsonContext.Default.DictionaryStringObject)
            : new Dictionary<string, object?>();
        return new FunctionCallContent(id, call.Name ?? "", arguments);
    }

    /// <summary>Maps <c>finishReason</c>: STOP with function calls becomes <see cref="ChatFinishReason.ToolCalls"/>.</summary>
    public static ChatFinishReason? ToFinishReason(string? reason, bool hasCalls) => reason switch
    {
        null or "" or "FINISH_REASON_UNSPECIFIED" => null,
        "STOP" => hasCalls ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
        "MAX_TOKENS" => ChatFinishReason.Length,
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY" or "IMAGE_PROHIBITED_CONTENT"
            or "IMAGE_RECITATION" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(reason.ToLowerInvariant()),
    };

    /// <summary>
    /// Maps <c>usageMetadata</c> to the canonical semantics of <see cref="UsageKeys"/>: input includes cached and tool-use
    /// prompt tokens, output includes thoughts (Gemini bills them as output). Counts not reported stay null.
    /// </summary>
    public static UsageDetails? ToUsage(GeminiUsage? usage) => usage is null ? null : new UsageDetails
    {
        InputTokenCount = usage.PromptTokenCount + (usage.ToolUsePromptTokenCount ?? 0),
        CachedInputTokenCount = usage.CachedContentTokenCount,
        OutputTokenCount = usage.CandidatesTokenCount is null && usage.ThoughtsTokenCount is null
            ? null
            : (usage.CandidatesTokenCount ?? 0) + (usage.ThoughtsTokenCount ?? 0),
        ReasoningTokenCount = usage.ThoughtsTokenCount,
        TotalTokenCount = usage.TotalTokenCount,
    };
}
