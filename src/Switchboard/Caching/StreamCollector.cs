using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Caching;

/// <summary>Collects a streamed answer for storing, and stops collecting once it is clearly too large.</summary>
internal sealed class StreamCollector(int maxEntryBytes)
{
    private readonly List<ChatResponseUpdate> _updates = [];
    private long _bytes;

    public bool Overflowed { get; private set; }

    public void Add(ChatResponseUpdate update)
    {
        if (Overflowed)
        {
            return;
        }

        foreach (var content in update.Contents)
        {
            _bytes += content switch
            {
                TextContent t => t.Text.Length,
                TextReasoningContent r => r.Text.Length + (r.ProtectedData?.Length ?? 0),
                FunctionCallContent c => 64 + (c.Arguments?.Count ?? 0) * 64,
                _ => 0,
            };
        }

        if (_bytes > maxEntryBytes)
        {
            Overflowed = true;
            _updates.Clear();
            return;
        }

        _updates.Add(update);
    }

    /// <summary>The collected answer as an entry (null when it holds content a replay could not reproduce).</summary>
    public CachedChatResponse? ToEntry(RoutingResult? routing, DateTimeOffset now) =>
        CachedResponseMapper.ToEntry(_updates.ToChatResponse(), routing, now);
}
