using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Caching;

public sealed partial class ResponseCacheChatClient
{
    /// <summary>
    /// A hit is replayed as a stream (text in a few pieces, function calls, finish reason, usage last). A miss streams
    /// through while it is collected, and is stored only when it ended normally with a finish reason. Streams are not
    /// coalesced: identical streams in flight each call the provider, and the first to finish stores the answer.
    /// </summary>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var context = SwitchboardContext.Ensure(ref options);
        var (decision, key) = Plan(list, options, context);
        if (decision.Action == CacheAction.Lookup && await LookupAsync(key!, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            Count(CacheStatus.Hit);
            MarkHit(context, cached);
            var replay = CachedResponseMapper.ToUpdates(cached);
            foreach (var update in replay)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return update;
            }

            yield break;
        }

        var status = decision.Action == CacheAction.Lookup ? CacheStatus.Miss : CacheStatus.Bypass;
        Count(status);
        context.CacheStatus = status;
        var collector = decision.Action == CacheAction.Bypass ? null : new StreamCollector(_options.MaxEntryBytes);
        await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
        {
            collector?.Add(update);
            yield return update;
        }

        // Reached only when the inner stream ended without an exception.
        if (collector is not null && !cancellationToken.IsCancellationRequested)
        {
            if (collector.Overflowed)
            {
                CacheLog.NotStored(_logger, "larger than MaxEntryBytes");
            }
            else
            {
                await StoreAsync(key!, collector.ToEntry(context.Routing, _time.GetUtcNow()), requireFinishReason: true, decision.Ttl).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<CachedChatResponse?> LookupAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _cache.GetOrCreateAsync<CachedChatResponse?>(key, static _ => default, _lookupOptions, tags: null, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            CacheLog.LookupFailed(_logger, ex);
            return null;
        }
    }
}
