using System.Buffers;
using System.Net.Sockets;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Switchboard.Caching;

namespace Switchboard.Redis;

/// <summary>
/// The response cache's Redis level, made harmless when Redis is down: a failure is logged once per outage, reads
/// become misses and writes are dropped, Redis is skipped for a back-off and then probed by one request, and it is used
/// again as soon as a probe succeeds. <see cref="IsDegraded"/> and <see cref="LastError"/> are for readiness checks.
/// </summary>
public sealed class ResilientDistributedCache : IBufferDistributedCache, IDistributedCacheStatus, IDisposable
{
    private readonly IDistributedCache _inner;
    private readonly IBufferDistributedCache? _buffered;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retryAfter;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private volatile bool _degraded;
    private DateTimeOffset _retryAt;
    private DateTimeOffset? _degradedSince;
    private string? _lastError;

    public ResilientDistributedCache(IDistributedCache inner, TimeProvider time, TimeSpan retryAfter, ILogger<ResilientDistributedCache>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _buffered = inner as IBufferDistributedCache;
        _time = time ?? TimeProvider.System;
        _retryAfter = retryAfter;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>True while Redis is failing: the cache then works from process memory only.</summary>
    public bool IsDegraded => _degraded;

    /// <summary>The last Redis failure of the current outage (type and message), or null when healthy.</summary>
    public string? LastError
    {
        get
        {
            lock (_lock)
            {
                return _lastError;
            }
        }
    }

    /// <summary>When the current outage began, or null when healthy.</summary>
    public DateTimeOffset? DegradedSince
    {
        get
        {
            lock (_lock)
            {
                return _degradedSince;
            }
        }
    }

    public byte[]? Get(string key) => Guard(() => _inner.Get(key), null);

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        GuardAsync(() => _inner.GetAsync(key, token), null, token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) =>
        Guard(() => { _inner.Set(key, value, options); return true; }, false);

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        GuardAsync(async () => { await _inner.SetAsync(key, value, options, token).ConfigureAwait(false); return true; }, false, token);

    public void Refresh(string key) => Guard(() => { _inner.Refresh(key); return true; }, false);

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        GuardAsync(async () => { await _inner.RefreshAsync(key, token).ConfigureAwait(false); return true; }, false, token);

    public void Remove(string key) => Guard(() => { _inner.Remove(key); return true; }, false);

    public Task RemoveAsync(string key, CancellationToken token = default) =>
        GuardAsync(async () => { await _inner.RemoveAsync(key, token).ConfigureAwait(false); return true; }, false, token);

    public bool TryGet(string key, IBufferWriter<byte> destination) => Guard(() =>
    {
        if (_buffered is not null)
        {
            return _buffered.TryGet(key, destination);
        }

        var value = _inner.Get(key);
        if (value is null)
        {
            return false;
        }

        destination.Write(value);
        return true;
    }, false);

    public async ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default) =>
        await GuardAsync(async () =>
        {
            if (_buffered is not null)
            {
                return await _buffered.TryGetAsync(key, destination, token).ConfigureAwait(false);
            }

            var value = await _inner.GetAsync(key, token).ConfigureAwait(false);
            if (value is null)
            {
                return false;
            }

            destination.Write(value);
            return true;
        }, false, token).ConfigureAwait(false);

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options) => Guard(() =>
    {
        if (_buffered is not null)
        {
            _buffered.Set(key, value, options);
        }
        else
        {
            _inner.Set(key, value.ToArray(), options);
        }

        return true;
    }, false);

    public async ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        await GuardAsync(async () =>
        {
            if (_buffered is not null)
            {
                await _buffered.SetAsync(key, value, options, token).ConfigureAwait(false);
            }
            else
            {
                await _inner.SetAsync(key, value.ToArray(), options, token).ConfigureAwait(false);
            }

            return true;
        }, false, token).ConfigureAwait(false);

    public void Dispose() => (_inner as IDisposable)?.Dispose();

    private T Guard<T>(Func<T> operation, T fallback)
    {
        if (!TryEnter())
        {
            return fallback;
        }

        try
        {
            var result = operation();
            OnSuccess();
            return result;
        }
        catch (Exception ex) when (IsOutage(ex, CancellationToken.None))
        {
            OnFailure(ex);
            return fallback;
        }
    }

    private async Task<T> GuardAsync<T>(Func<Task<T>> operation, T fallback, CancellationToken token)
    {
        if (!TryEnter())
        {
            return fallback;
        }

        try
        {
            var result = await operation().ConfigureAwait(false);
            OnSuccess();
            return result;
        }
        catch (Exception ex) when (IsOutage(ex, token))
        {
            OnFailure(ex);
            return fallback;
        }
    }

    /// <summary>Healthy: go. Degraded: skip until the back-off ends, then let exactly one caller probe.</summary>
    private bool TryEnter()
    {
        if (!_degraded)
        {
            return true;
        }

        lock (_lock)
        {
            if (!_degraded)
            {
                return true;
            }

            var now = _time.GetUtcNow();
            if (now < _retryAt)
            {
                return false;
            }

            _retryAt = now + _retryAfter; // this caller probes; the others keep skipping
            return true;
        }
    }

    private void OnSuccess()
    {
        if (!_degraded)
        {
            return;
        }

        TimeSpan outage;
        lock (_lock)
        {
            if (!_degraded)
            {
                return;
            }

            outage = _time.GetUtcNow() - (_degradedSince ?? _time.GetUtcNow());
            _degraded = false;
            _degradedSince = null;
            _lastError = null;
        }

        RedisLog.CacheRecovered(_logger, outage);
    }

    private void OnFailure(Exception ex)
    {
        bool first;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _lastError = ex.GetType().Name + ": " + ex.Message;
            _retryAt = now + _retryAfter;
            first = !_degraded;
            if (first)
            {
                _degradedSince = now;
                _degraded = true;
            }
        }

        if (first)
        {
            RedisLog.CacheUnavailable(_logger, ex.GetType().Name + ": " + ex.Message, _retryAfter.TotalSeconds, ex);
        }
    }

    private static bool IsOutage(Exception ex, CancellationToken token) => ex switch
    {
        OperationCanceledException => !token.IsCancellationRequested,
        RedisException or TimeoutException or SocketException or IOException or ObjectDisposedException => true,
        AggregateException { InnerException: { } inner } => IsOutage(inner, token),
        _ => ex.InnerException is { } cause && IsOutage(cause, token),
    };
}
