using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Caching;

/// <summary>Pure conversions between answers and <see cref="CachedChatResponse"/> entries. No I/O, no logging.</summary>
internal static class CachedResponseMapper
{
    private const int ReplayPieces = 4;
    private const int MinPieceChars = 32;
    private const int EntryOverheadBytes = 512;

    private static JsonTypeInfo ArgumentsType => AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>));

    /// <summary>The entry for an answer, or null when it holds content a replay could not reproduce.</summary>
    public static CachedChatResponse? ToEntry(ChatResponse response, RoutingResult? routing, DateTimeOffset now)
    {
        var parts = new List<CachedPart>();
        var text = new StringBuilder();
        foreach (var message in response.Messages)
        {
            if (message.Role != ChatRole.Assistant)
            {
                return null;
            }

            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        text.Append(t.Text);
                        continue;
                    case UsageContent:
                        continue;
                    case TextReasoningContent r:
                        FlushText(parts, text);
                        parts.Add(new CachedPart { Kind = CachedPart.ReasoningKind, Text = r.Text, Protected = r.ProtectedData });
                        continue;
                    case FunctionCallContent call:
                        FlushText(parts, text);
                        parts.Add(new CachedPart
                        {
                            Kind = CachedPart.CallKind,
                            CallId = call.CallId,
                            Name = call.Name,
                            Arguments = call.Arguments is null ? null : JsonSerializer.Serialize(call.Arguments, ArgumentsType),
                        });
                        continue;
                    default:
                        return null;
                }
            }
        }

        FlushText(parts, text);
        return new CachedChatResponse
        {
            Parts = parts,
            FinishReason = response.FinishReason?.Value,
            ModelId = response.ModelId,
            Usage = ToCached(response.Usage),
            Provider = routing?.Deployment?.Provider,
            DeploymentModel = routing?.Deployment?.Model,
            CostUsd = routing?.CostUsd,
            StoredAt = now,
        };
    }

    /// <summary>Why this answer must not be stored, or null when it may be.</summary>
    public static string? WhyNotStored(CachedChatResponse? entry, int maxEntryBytes, bool requireFinishReason)
    {
        if (entry is null)
        {
            return "content a replay cannot reproduce";
        }

        if (entry.FinishReason == ChatFinishReason.ContentFilter.Value)
        {
            return "content filtered";
        }

        if (requireFinishReason && entry.FinishReason is null)
        {
            return "no finish reason (truncated)";
        }

        if (entry.Parts.Count == 0)
        {
            return "empty answer";
        }

        return EstimateBytes(entry) > maxEntryBytes ? "larger than MaxEntryBytes" : null;
    }

    /// <summary>Approximate stored size: the UTF-8 size of its text and arguments plus a fixed overhead.</summary>
    public static long EstimateBytes(CachedChatResponse entry)
    {
        long bytes = EntryOverheadBytes;
        foreach (var part in entry.Parts)
        {
            bytes += Size(part.Text) + Size(part.Protected) + Size(part.Arguments) + Size(part.Name) + Size(part.CallId) + 32;
        }

        return bytes;

        static int Size(string? s) => s is null ? 0 : Encoding.UTF8.GetByteCount(s);
    }

    public static ChatResponse ToResponse(CachedChatResponse entry) =>
        new(new ChatMessage(ChatRole.Assistant, [.. entry.Parts.Select(ToContent)]))
        {
            ResponseId = NewId(),
            ModelId = entry.ModelId,
            FinishReason = entry.FinishReason is { } reason ? new ChatFinishReason(reason) : null,
            Usage = ToUsage(entry.Usage),
            CreatedAt = entry.StoredAt,
        };

    /// <summary>The entry as a stream: text in a few pieces, function calls, then the finish reason with usage last.</summary>
    public static List<ChatResponseUpdate> ToUpdates(CachedChatResponse entry)
    {
        var responseId = NewId();
        var updates = new List<ChatResponseUpdate>();
        foreach (var part in entry.Parts)
        {
            if (part.Kind == CachedPart.CallKind)
            {
                updates.Add(Update(entry, responseId, ToContent(part)));
                continue;
            }

            if (part.Protected is not null)
            {
                updates.Add(Update(entry, responseId, ToContent(part)));
                continue;
            }

            foreach (var piece in Split(part.Text ?? string.Empty))
            {
                updates.Add(Update(entry, responseId, part.Kind == CachedPart.ReasoningKind ? new TextReasoningContent(piece) : new TextContent(piece)));
            }
        }

        var last = Update(entry, responseId, null);
        last.FinishReason = entry.FinishReason is { } reason ? new ChatFinishReason(reason) : null;
        if (ToUsage(entry.Usage) is { } usage)
        {
            last.Contents.Add(new UsageContent(usage));
        }

        updates.Add(last);
        return updates;
    }

    private static ChatResponseUpdate Update(CachedChatResponse entry, string responseId, AIContent? content) =>
        new(ChatRole.Assistant, content is null ? [] : [content])
        {
            ResponseId = responseId,
            MessageId = responseId,
            ModelId = entry.ModelId,
            CreatedAt = entry.StoredAt,
        };

    private static IEnumerable<string> Split(string text)
    {
        var size = Math.Max(MinPieceChars, (text.Length + ReplayPieces - 1) / ReplayPieces);
        var start = 0;
        while (start < text.Length)
        {
            var end = Math.Min(text.Length, start + size);
            if (end < text.Length && char.IsHighSurrogate(text[end - 1]))
            {
                end++; // never split a surrogate pair
            }

            yield return text[start..end];
            start = end;
        }
    }

    private static AIContent ToContent(CachedPart part) => part.Kind switch
    {
        CachedPart.CallKind => new FunctionCallContent(part.CallId ?? string.Empty, part.Name ?? string.Empty,
            part.Arguments is null ? null : (IDictionary<string, object?>?)JsonSerializer.Deserialize(part.Arguments, ArgumentsType)),
        CachedPart.ReasoningKind => new TextReasoningContent(part.Text) { ProtectedData = part.Protected },
        _ => new TextContent(part.Text),
    };

    private static void FlushText(List<CachedPart> parts, StringBuilder text)
    {
        if (text.Length > 0)
        {
            parts.Add(new CachedPart { Kind = CachedPart.TextKind, Text = text.ToString() });
            text.Clear();
        }
    }

    private static CachedUsage? ToCached(UsageDetails? usage) => usage is null ? null : new CachedUsage
    {
        InputTokens = usage.InputTokenCount,
        OutputTokens = usage.OutputTokenCount,
        TotalTokens = usage.TotalTokenCount,
        CachedInputTokens = usage.CachedInputTokenCount,
        ReasoningTokens = usage.ReasoningTokenCount,
        Additional = usage.AdditionalCounts is { Count: > 0 } extra ? new Dictionary<string, long>(extra) : null,
    };

    private static UsageDetails? ToUsage(CachedUsage? usage) => usage is null ? null : new UsageDetails
    {
        InputTokenCount = usage.InputTokens,
        OutputTokenCount = usage.OutputTokens,
        TotalTokenCount = usage.TotalTokens,
        CachedInputTokenCount = usage.CachedInputTokens,
        ReasoningTokenCount = usage.ReasoningTokens,
        AdditionalCounts = usage.Additional is { Count: > 0 } extra ? new AdditionalPropertiesDictionary<long>(extra) : null,
    };

    private static string NewId() => "sbcache-" + RequestIds.New();
}
