using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Caching;
using Switchboard.Chat;
using Switchboard.Telemetry;

namespace Switchboard.Embeddings;

/// <summary>
/// Exact-match cache of embeddings over the response cache's <see cref="HybridCache"/> (same levels, lifetimes, tenant
/// partition and <c>x-switchboard-cache</c> directives). Embeddings are deterministic, so every request is eligible
/// unless the mode is <c>opt-in</c>; the key is the request (model, dimensions, inputs), and concurrent identical requests
/// coalesce into one provider call. Failures and answers above <c>MaxEntryBytes</c> are never stored; a cache failure
/// never fails a request.
/// </summary>
public sealed class EmbeddingCacheGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly HybridCache _cache;
    private readonly CacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public EmbeddingCacheGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, HybridCache cache, CacheOptions options,
        TimeProvider? time = null, ILogger<EmbeddingCacheGenerator>? logger = null)
        : base(innerGenerator)
    {
        _cache = cache;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var context = SwitchboardContext.Ensure(ref options);
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        var result = await RespondAsync(inputs, options, context, cancellationToken).ConfigureAwait(false);
        SwitchboardTelemetry.CacheRequests.Add(1, new KeyValuePair<string, object?>(GenAiAttributes.Cache, context.CacheStatus));
        return result;
    }

    private async Task<GeneratedEmbeddings<Embedding<float>>> RespondAsync(IReadOnlyList<string> inputs, EmbeddingGenerationOptions options,
        SwitchboardContext context, CancellationToken cancellationToken)
    {
        var decision = Decide(options.ModelId, context.CacheRequest);
        if (decision.Action == CacheAction.Bypass || inputs.Count == 0)
        {
            CacheLog.Decided(_logger, CacheStatus.Bypass, decision.Reason);
            return Mark(context, await base.GenerateAsync(inputs, options, cancellationToken).ConfigureAwait(false), CacheStatus.Bypass);
        }

        var sharedNamespace = string.IsNullOrEmpty(_options.Namespace) ? null : _options.Namespace;
        var key = EmbeddingCacheKey.Compute(inputs, options, ResponseCachePolicy.Tenant(context), sharedNamespace);
        var entryOptions = new HybridCacheEntryOptions
        {
            Expiration = decision.Ttl,
            LocalCacheExpiration = _options.HasRedis && _options.LocalTtl < decision.Ttl ? _options.LocalTtl : decision.Ttl,
        };
        if (decision.Action == CacheAction.Refresh)
        {
            var fresh = await base.GenerateAsync(inputs, options, cancellationToken).ConfigureAwait(false);
            if (Entry(fresh, context) is { } entry)
            {
                try
                {
                    await _cache.SetAsync(key, entry, entryOptions, tags: null, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    CacheLog.StoreFailed(_logger, ex);
                }
            }

            return Mark(context, fresh, CacheStatus.Bypass);
        }

        var computation = new Computation(this, inputs, options, context);
        byte[] stored;
        try
        {
            stored = await _cache.GetOrCreateAsync(key, computation, static (c, token) => c.RunAsync(token), entryOptions,
                tags: null, cancellationToken).ConfigureAwait(false);
        }
        catch (InnerCallFailedException ex)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException!); // the provider's failure, as it was; nothing was stored
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Too large to store, or the cache failed: the request is answered all the same.
            CacheLog.LookupFailed(_logger, ex);
            return computation.Result is { } own
                ? Mark(context, own, CacheStatus.Miss)
                : Mark(context, await base.GenerateAsync(inputs, options, cancellationToken).ConfigureAwait(false), CacheStatus.Bypass);
        }

        if (computation.Result is { } result)
        {
            return Mark(context, result, CacheStatus.Miss);
        }

        if (EmbeddingCacheEntry.Decode(stored) is not { } hit || hit.Vectors.Count != inputs.Count)
        {
            return Mark(context, await base.GenerateAsync(inputs, options, cancellationToken).ConfigureAwait(false), CacheStatus.Bypass);
        }

        context.CacheStatus = CacheStatus.Hit;
        context.Cache = new CacheHit(hit.Provider, hit.Model, hit.StoredAt, hit.CostUsd);
        return hit.ToEmbeddings();
    }

    /// <summary>The response cache's rules for a deterministic answer: off, <c>no-store</c>, <c>opt-in</c> mode, lifetime, <c>no-cache</c>.</summary>
    private CacheDecision Decide(string? model, CacheRequestOptions? request)
    {
        var directive = request?.Directive ?? CacheDirective.None;
        if (!_options.Enabled)
        {
            return new(CacheAction.Bypass, TimeSpan.Zero, "cache disabled");
        }

        if (directive == CacheDirective.NoStore)
        {
            return new(CacheAction.Bypass, TimeSpan.Zero, "no-store");
        }

        if (_options.Mode == CacheModes.OptIn && directive != CacheDirective.OptIn)
        {
            return new(CacheAction.Bypass, TimeSpan.Zero, "not opted in");
        }

        var ttl = request?.Ttl ?? _options.TtlFor(model);
        if (ttl <= TimeSpan.Zero)
        {
            return new(CacheAction.Bypass, TimeSpan.Zero, "ttl of zero");
        }

        return new(directive == CacheDirective.NoCache ? CacheAction.Refresh : CacheAction.Lookup, ttl, directive == CacheDirective.NoCache ? "no-cache" : _options.Mode);
    }

    /// <summary>The bytes to store for an answer; null when it is larger than <c>MaxEntryBytes</c>.</summary>
    private byte[]? Entry(GeneratedEmbeddings<Embedding<float>> embeddings, SwitchboardContext context)
    {
        if (EmbeddingCacheEntry.PayloadBytes(embeddings) > _options.MaxEntryBytes)
        {
            CacheLog.NotStored(_logger, "larger than MaxEntryBytes");
            return null;
        }

        var routing = context.Routing;
        return new EmbeddingCacheEntry(routing?.Deployment?.Provider, routing?.Deployment?.Model ?? embeddings.FirstOrDefault()?.ModelId,
            _time.GetUtcNow(), routing?.CostUsd, embeddings.Usage?.InputTokenCount ?? 0, [.. embeddings.Select(e => e.Vector)]).Encode();
    }

    private static GeneratedEmbeddings<Embedding<float>> Mark(SwitchboardContext context, GeneratedEmbeddings<Embedding<float>> result, string status)
    {
        context.CacheStatus = status;
        return result;
    }

    /// <summary>The factory's state: the caller that started the shared computation owns the provider's own answer.</summary>
    private sealed class Computation(EmbeddingCacheGenerator owner, IReadOnlyList<string> inputs, EmbeddingGenerationOptions options,
        SwitchboardContext context)
    {
        // HybridCache may run the factory without the caller's ExecutionContext; restore it (tracing, async-locals).
        private readonly ExecutionContext? _context = ExecutionContext.Capture();

        public GeneratedEmbeddings<Embedding<float>>? Result { get; private set; }

        public async ValueTask<byte[]> RunAsync(CancellationToken token)
        {
            if (_context is not null)
            {
                ExecutionContext.Restore(_context);
            }

            try
            {
                Result = await owner.InnerGenerator.GenerateAsync(inputs, options, token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                throw new InnerCallFailedException(ex.Message, ex);
            }

            return owner.Entry(Result, context) ?? throw new InvalidOperationException("The embeddings are larger than Switchboard:Cache:MaxEntryBytes.");
        }
    }
}
