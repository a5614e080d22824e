using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Chat;
using Switchboard.Telemetry;

namespace Switchboard.Caching;

/// <summary>
/// Exact-match response cache over <see cref="HybridCache"/> (in-process L1, optional Redis L2). Concurrent identical
/// requests coalesce into one inner call; failures, cancellations, content-filtered, empty and oversized answers are
/// never stored; a hit on a streaming request is replayed as a stream with usage last. The request's
/// <see cref="SwitchboardContext"/> gets the <see cref="CacheStatus"/> (and, on a hit, the stored answer's origin and
/// cost). A cache failure never fails a request.
/// </summary>
public sealed partial class ResponseCacheChatClient : DelegatingChatClient
{
    private readonly HybridCache _cache;
    private readonly CacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HybridCacheEntryOptions _lookupOptions;

    public ResponseCacheChatClient(IChatClient innerClient, HybridCache cache, CacheOptions options, TimeProvider? time = null,
        ILogger<ResponseCacheChatClient>? logger = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        _cache = cache;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _lookupOptions = new HybridCacheEntryOptions
        {
            Expiration = options.DefaultTtl,
            LocalCacheExpiration = options.HasRedis && options.LocalTtl < options.DefaultTtl ? options.LocalTtl : options.DefaultTtl,
            Flags = HybridCacheEntryFlags.DisableUnderlyingData,
        };
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var context = SwitchboardContext.Ensure(ref options);
        var response = await RespondAsync(messages, options, context, cancellationToken).ConfigureAwait(false);
        Count(context.CacheStatus);
        return response;
    }

    private static void Count(string? status) =>
        SwitchboardTelemetry.CacheRequests.Add(1, new KeyValuePair<string, object?>(GenAiAttributes.Cache, status));

    private static void CountStored(CachedChatResponse entry) =>
        SwitchboardTelemetry.CacheStoredBytes.Add(CachedResponseMapper.EstimateBytes(entry));

    private async Task<ChatResponse> RespondAsync(IEnumerable<ChatMessage> messages, ChatOptions options, SwitchboardContext context,
        CancellationToken cancellationToken)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var (decision, key) = Plan(list, options, context);
        if (decision.Action == CacheAction.Bypass)
        {
            return Mark(context, await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false), CacheStatus.Bypass);
        }

        if (decision.Action == CacheAction.Refresh)
        {
            var fresh = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
            await StoreAsync(key!, CachedResponseMapper.ToEntry(fresh, context.Routing, _time.GetUtcNow()), false, decision.Ttl)
                .ConfigureAwait(false);
            return Mark(context, fresh, CacheStatus.Bypass);
        }

        var computation = new Computation(this, list, options);
        CachedChatResponse entry;
        try
        {
            entry = await _cache.GetOrCreateAsync(key!, computation, static (c, token) => c.RunAsync(token), EntryOptions(decision.Ttl),
                tags: null, cancellationToken).ConfigureAwait(false);
        }
        catch (InnerCallFailedException ex)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException!); // the provider's failure, as it was; nothing was stored
            throw;
        }
        catch (UncacheableResponseException ex)
        {
            CacheLog.NotStored(_logger, ex.Reason);
            if (computation.Response is { } own)
            {
                return Mark(context, own, CacheStatus.Miss);
            }

            return ex.Snapshot is { } shared
                ? Hit(context, shared) // an identical request in flight answered for us
                : Mark(context, await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false), CacheStatus.Bypass);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            CacheLog.LookupFailed(_logger, ex);
            return computation.Response is { } own
                ? Mark(context, own, CacheStatus.Miss)
                : Mark(context, await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false), CacheStatus.Bypass);
        }

        return computation.Response is { } response ? Mark(context, response, CacheStatus.Miss) : Hit(context, entry);
    }

    private (CacheDecision Decision, string? Key) Plan(IReadOnlyList<ChatMessage> messages, ChatOptions? options, SwitchboardContext context)
    {
        var request = context.CacheRequest;
        var decision = ResponseCachePolicy.Decide(_options, options, request);
        if (decision.Action != CacheAction.Bypass)
        {
            var sharedNamespace = string.IsNullOrEmpty(_options.Namespace) ? null : _options.Namespace;
            if (ResponseCacheKey.TryCompute(messages, options, ResponseCachePolicy.Tenant(context), sharedNamespace, out var key))
            {
                return (decision, key);
            }

            decision = new CacheDecision(CacheAction.Bypass, TimeSpan.Zero, "the request holds content or options the key cannot represent");
        }

        CacheLog.Decided(_logger, CacheStatus.Bypass, decision.Reason);
        return (decision, null);
    }

    private HybridCacheEntryOptions EntryOptions(TimeSpan ttl) => new()
    {
        Expiration = ttl,
        LocalCacheExpiration = _options.HasRedis && _options.LocalTtl < ttl ? _options.LocalTtl : ttl,
    };

    private async Task StoreAsync(string key, CachedChatResponse? entry, bool requireFinishReason, TimeSpan ttl)
    {
        if (CachedResponseMapper.WhyNotStored(entry, _options.MaxEntryBytes, requireFinishReason) is { } reason)
        {
            CacheLog.NotStored(_logger, reason);
            return;
        }

        try
        {
            await _cache.SetAsync(key, entry!, EntryOptions(ttl), tags: null, CancellationToken.None).ConfigureAwait(false);
            CountStored(entry!);
        }
        catch (Exception ex)
        {
            CacheLog.StoreFailed(_logger, ex);
        }
    }

    private static ChatResponse Mark(SwitchboardContext context, ChatResponse response, string status)
    {
        context.CacheStatus = status;
        return response;
    }

    private static void MarkHit(SwitchboardContext context, CachedChatResponse entry)
    {
        context.CacheStatus = CacheStatus.Hit;
        context.Cache = new CacheHit(entry.Provider, entry.DeploymentModel, entry.StoredAt, entry.CostUsd);
    }

    private static ChatResponse Hit(SwitchboardContext context, CachedChatResponse entry)
    {
        MarkHit(context, entry);
        return CachedResponseMapper.ToResponse(entry);
    }

    /// <summary>The factory's state: the caller that started the shared computation owns the provider's own response.</summary>
    private sealed class Computation(ResponseCacheChatClient owner, IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        // HybridCache may run the factory on a pool thread without the caller's ExecutionContext; restore it so the
        // provider call keeps the request's Activity (tracing) and other async-locals.
        private readonly ExecutionContext? _context = ExecutionContext.Capture();

        public ChatResponse? Response { get; private set; }

        public async ValueTask<CachedChatResponse> RunAsync(CancellationToken token)
        {
            if (_context is not null)
            {
                ExecutionContext.Restore(_context);
            }

            ChatResponse response;
            try
            {
                response = await owner.InnerClient.GetResponseAsync(messages, options, token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                throw new InnerCallFailedException(ex.Message, ex);
            }

            Response = response;
            var entry = CachedResponseMapper.ToEntry(response, SwitchboardContext.Of(options)?.Routing, owner._time.GetUtcNow());
            if (CachedResponseMapper.WhyNotStored(entry, owner._options.MaxEntryBytes, requireFinishReason: false) is { } reason)
            {
                throw new UncacheableResponseException(reason, entry);
            }

            CacheLog.Decided(owner._logger, CacheStatus.Miss, "stored");
            CountStored(entry!);
            return entry!;
        }
    }
}
