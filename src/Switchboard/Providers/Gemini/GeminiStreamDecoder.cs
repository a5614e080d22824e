using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Turns the <c>data:</c> payloads of one <c>streamGenerateContent?alt=sse</c> stream into <see cref="ChatResponseUpdate"/>s.
/// Pure, one per stream. Each payload is a whole <c>GenerateContentResponse</c> slice; function calls come whole; the latest
/// <c>usageMetadata</c> is emitted once, in the last update (<see cref="Complete"/>). Event names are ignored; a stream
/// ends with its body (a <c>[DONE]</c> some proxies add is skipped).
/// </summary>
internal sealed class GeminiStreamDecoder(string provider, string? apiKey) : IProviderStreamDecoder
{
    private string? _id;
    private string? _model;
    private ChatFinishReason? _finish;
    private int _calls;

    /// <summary>The latest usage reported, if any (partial usage for a broken stream).</summary>
    public UsageDetails? Usage { get; private set; }

    /// <summary>Never: a Gemini stream ends with its body.</summary>
    public bool IsDone => false;

    /// <summary>Decodes one UTF-8 payload; returns null when it carries nothing for the caller.</summary>
    public ChatResponseUpdate? Decode(string eventType, ReadOnlySpan<byte> data)
    {
        data = data.Trim(" \t\r\n"u8);
        if (data.IsEmpty || data.SequenceEqual("[DONE]"u8))
        {
            return null;
        }

        GeminiResponse? slice;
        try
        {
            slice = JsonSerializer.Deserialize(data, GeminiJsonContext.Default.GeminiResponse);
        }
        catch (JsonException ex)
        {
            throw Fail(new ProviderException(ProviderErrorKind.MalformedResponse, $"{provider} sent a stream event that is not valid JSON.",
                provider, innerException: ex));
        }

        if (slice is null)
        {
            return null;
        }

        if (slice.Error is { ValueKind: not JsonValueKind.Null } error)
        {
            throw Fail(GeminiErrorMapper.MapStreamError(error, provider, apiKey));
        }

        _id ??= slice.ResponseId;
        _model ??= slice.ModelVersion;
        if (GeminiResponseMapper.ToUsage(slice.UsageMetadata) is { } usage)
        {
            Usage = usage; // every slice repeats it; the last one is complete
        }

        if (slice.Candidates is not { Count: > 0 } candidates)
        {
            // A blocked prompt comes as a slice with promptFeedback and no candidates; a usage-only slice is harmless.
            return slice.PromptFeedback?.BlockReason is not null ? throw Fail(GeminiResponseMapper.BlockedOrEmpty(slice, provider)) : null;
        }

        var candidate = candidates[0];
        var contents = GeminiResponseMapper.ToContents(candidate.Content?.Parts, ref _calls);
        ChatFinishReason? finish = null;
        if (candidate.FinishReason is { Length: > 0 } reason)
        {
            finish = GeminiResponseMapper.ToFinishReason(reason, _calls > 0);
            _finish = finish;
        }

        return contents.Count == 0 && finish is null ? null : NewUpdate(contents, finish, slice);
    }

    /// <summary>
    /// Ends the stream: returns the last update (usage), or null when there is nothing left. Throws
    /// <see cref="ProviderErrorKind.Network"/> when the stream ended without a finish reason (a truncated stream).
    /// </summary>
    public ChatResponseUpdate? Complete()
    {
        if (_finish is null)
        {
            throw Fail(new ProviderException(ProviderErrorKind.Network, $"The stream from {provider} ended prematurely.", provider));
        }

        return Usage is { } usage ? NewUpdate([new UsageContent(usage)], null, null) : null;
    }

    private ChatResponseUpdate NewUpdate(List<AIContent> contents, ChatFinishReason? finish, GeminiResponse? raw) =>
        new(ChatRole.Assistant, contents)
        {
            ResponseId = _id,
            MessageId = _id,
            ModelId = _model,
            FinishReason = finish,
            RawRepresentation = raw,
        };

    private ProviderException Fail(ProviderException ex)
    {
        ex.PartialUsage ??= Usage;
        return ex;
    }
}
