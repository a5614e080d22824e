using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Switchboard.RateLimits;

namespace Switchboard.Redis;

/// <summary>
/// Requests- and tokens-per-minute counts shared by every replica in Redis: one Lua script per check (one round trip),
/// atomic, checking every limit before charging any, with the clock of the Redis server (replicas' clocks may differ)
/// and keys that expire after two minutes. When Redis cannot answer, <see cref="TryAcquireAsync"/> returns null and the
/// caller uses its local <see cref="WindowCounter"/>; the first failure of an outage is logged once, the outage is
/// visible as <see cref="IsDegraded"/> (the <c>switchboard.rate_limit.degraded</c> gauge and <c>/admin/health</c>).
/// </summary>
public sealed class RedisRateLimitStore : ISharedRateLimitStore, IAsyncDisposable
{
    // KEYS: one hash per limit (fields w: minute index, c: current count, p: previous minute's count).
    // ARGV: [1] window ms, [2] 1 = check and take, 0 = charge without check, then (limit, cost) per key.
    // Returns {1 admitted | 0 refused, milliseconds to wait}. Same arithmetic as WindowCounter.
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[1])
        local idx = math.floor(now / window)
        local frac = (now % window) / window
        local cs, ps = {}, {}
        local wait = 0
        for i = 1, #KEYS do
          local v = redis.call('HMGET', KEYS[i], 'w', 'c', 'p')
          local w, c, p = tonumber(v[1]), tonumber(v[2]) or 0, tonumber(v[3]) or 0
          if w == idx - 1 then p, c = c, 0 elseif w ~= idx then c, p = 0, 0 end
          cs[i], ps[i] = c, p
          local limit, cost = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
          if ARGV[2] == '1' and p * (1 - frac) + c + cost > limit then
            local ms
            if c + cost <= limit and p > 0 then
              ms = math.max(1, math.ceil(((1 - (limit - c - cost) / p) - frac) * window))
            else
              ms = window - (now % window)
            end
            if ms > wait then wait = ms end
          end
        end
        if wait > 0 then return {0, wait} end
        for i = 1, #KEYS do
          redis.call('HSET', KEYS[i], 'w', idx, 'c', cs[i] + tonumber(ARGV[2 + 2 * i]), 'p', ps[i])
          redis.call('PEXPIRE', KEYS[i], window * 2)
        end
        return {1, 0}
        """;

    private readonly RateLimitOptions _options;
    private readonly ILogger _logger;
    private readonly Task<ConnectionMultiplexer?> _connection;
    private int _degraded;

    public RedisRateLimitStore(string connectionString, RateLimitOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = ConnectTimeoutMs(options);
        configuration.SyncTimeout = options.RedisTimeoutMs;
        configuration.AsyncTimeout = options.RedisTimeoutMs;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        _connection = ConnectAsync(configuration);
    }

    /// <summary>True while Redis fails and limits are enforced per replica.</summary>
    public bool IsDegraded => Volatile.Read(ref _degraded) == 1;

    /// <summary>
    /// Takes one request and <paramref name="tokens"/> tokens from the shared counts of <paramref name="id"/> (both or
    /// neither); null when Redis cannot answer now.
    /// </summary>
    public async ValueTask<RateLimitDecision?> TryAcquireAsync(string id, int? rpm, int? tpm, long tokens, CancellationToken cancellationToken)
    {
        var (keys, values) = Arguments(id, rpm, tpm, tokens, check: true);
        if (keys.Length == 0)
        {
            return RateLimitDecision.Admitted;
        }

        var result = await EvaluateAsync(keys, values, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return null;
        }

        var parts = (RedisResult[])result!;
        return (long)parts[0] == 1 ? RateLimitDecision.Admitted : new RateLimitDecision(false, TimeSpan.FromMilliseconds((long)parts[1]));
    }

    /// <summary>Charges extra tokens without a check (best effort, never waits for Redis).</summary>
    public void AddTokens(string id, int tpm, long tokens)
    {
        if (!_connection.IsCompletedSuccessfully || _connection.Result is not { IsConnected: true } redis || tokens <= 0)
        {
            return;
        }

        try
        {
            redis.GetDatabase().ScriptEvaluate(Script, [Key(id, "t")],
                [WindowCounter.WindowMs, 0, tpm, Math.Clamp(tokens, 1, tpm)], CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            MarkDown(ex);
        }
    }

    private async ValueTask<RedisResult?> EvaluateAsync(RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken)
    {
        try
        {
            var redis = await _connection.WaitAsync(TimeSpan.FromMilliseconds(ConnectTimeoutMs(_options)), cancellationToken).ConfigureAwait(false);
            if (redis is not { IsConnected: true })
            {
                MarkDown(null);
                return null;
            }

            var result = await redis.GetDatabase().ScriptEvaluateAsync(Script, keys, values).ConfigureAwait(false);
            if (Interlocked.Exchange(ref _degraded, 0) == 1)
            {
                RedisLog.RateLimitsRecovered(_logger);
            }

            return result;
        }
        catch (Exception ex) when (IsRedisFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            MarkDown(ex);
            return null;
        }
    }

    private (RedisKey[] Keys, RedisValue[] Values) Arguments(string id, int? rpm, int? tpm, long tokens, bool check)
    {
        var keys = new List<RedisKey>(2);
        var values = new List<RedisValue>(6) { WindowCounter.WindowMs, check ? 1 : 0 };
        if (rpm is { } r)
        {
            keys.Add(Key(id, "r"));
            values.Add(r);
            values.Add(1);
        }

        if (tpm is { } t)
        {
            keys.Add(Key(id, "t"));
            values.Add(t);
            values.Add(Math.Clamp(tokens, 1, t));
        }

        return ([.. keys], [.. values]);
    }

    // The braces are a Redis Cluster hash tag: both counters of one limit live on one shard, so one script can touch both.
    private RedisKey Key(string id, string kind) => $"{_options.KeyPrefix}{{{id}}}:{kind}";

    private void MarkDown(Exception? exception)
    {
        if (Interlocked.Exchange(ref _degraded, 1) == 0)
        {
            RedisLog.RateLimitsUnavailable(_logger, exception is null ? "not connected" : exception.GetType().Name + ": " + exception.Message);
        }
    }

    private static async Task<ConnectionMultiplexer?> ConnectAsync(ConfigurationOptions configuration)
    {
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            return null;
        }
    }

    // The first connection gets longer than one command: a replica that starts while Redis is slow should not begin degraded.
    private static int ConnectTimeoutMs(RateLimitOptions options) => Math.Max(1_000, options.RedisTimeoutMs * 4);

    private static bool IsRedisFailure(Exception exception) =>
        exception is RedisException or TimeoutException or SocketException or IOException or ObjectDisposedException;

    public async ValueTask DisposeAsync()
    {
        if (await _connection.ConfigureAwait(false) is { } redis)
        {
            await redis.DisposeAsync().ConfigureAwait(false);
        }
    }
}
