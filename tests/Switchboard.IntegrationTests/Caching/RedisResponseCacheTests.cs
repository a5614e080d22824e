using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Switchboard.Caching;

using Switchboard.Chat;
using Switchboard.Tests.TestSupport;
using Switchboard.Redis;

namespace Switchboard.IntegrationTests.Caching;

/// <summary>The response cache against a real Redis: shared between replicas, and harmless when Redis goes away.</summary>
public sealed class RedisResponseCacheTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static string RequireRedis() =>
        Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_REDIS") is { Length: > 0 } endpoint
            ? endpoint
            : throw new InvalidOperationException(
                "SWITCHBOARD_TEST_REDIS is not set: run the tests through scripts/test.sh (it starts a throwaway redis-server), " +
                "or start one and export SWITCHBOARD_TEST_REDIS=127.0.0.1:PORT.");

    /// <summary>Waits (bounded) for a key to appear: HybridCache writes Redis after the answer has been returned.</summary>
    private static async Task<bool> KeyAppearsAsync(string endpoint, string key, TimeSpan within)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{endpoint},abortConnect=false,connectTimeout=1000");
        var db = redis.GetDatabase();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < within)
        {
            try
            {
                if (await db.KeyExistsAsync(key))
                {
                    return true;
                }
            }
            catch (RedisException)
            {
                // not reachable yet
            }

            await Task.Delay(50, Ct);
        }

        return false;
    }

    [Fact]
    public async Task TwoReplicas_ShareRedis_AMissOnOneIsAHitOnTheOther()
    {
        var endpoint = RequireRedis();
        var instance = $"sbtest:{Guid.NewGuid():N}:";
        await using var a = new CacheReplica(endpoint, instance);
        await using var b = new CacheReplica(endpoint, instance);

        var miss = await a.AskAsync("what is 2 + 2?", Ct);
        Assert.Equal(CacheStatus.Miss, miss.GetCacheStatus());
        Assert.True(await KeyAppearsAsync(endpoint, CacheReplica.RedisKey(instance, "what is 2 + 2?"), TimeSpan.FromSeconds(10)),
            "replica A's answer never reached Redis");

        var hit = await b.AskAsync("what is 2 + 2?", Ct);
        Assert.Equal(CacheStatus.Hit, hit.GetCacheStatus());
        Assert.Equal(miss.Text, hit.Text);
        Assert.Equal(0, b.Provider.Calls);

        var replay = new List<ChatResponseUpdate>();
        await foreach (var update in b.Client.GetStreamingResponseAsync(CacheReplica.Prompt("what is 2 + 2?"), CacheReplica.Options(), Ct))
        {
            replay.Add(update);
        }

        Assert.Equal(CacheStatus.Hit, replay[0].GetCacheStatus());
        Assert.Equal(miss.Text, replay.ToChatResponse().Text);
        Assert.IsType<UsageContent>(replay[^1].Contents[^1]);
        Assert.Equal(0, b.Provider.Calls);
        Assert.Equal(1, a.Provider.Calls);
    }

    [Fact]
    public async Task RedisKilledMidTest_EveryRequestIsAnswered_DegradationIsVisibleAndLoggedOnce_ThenRedisIsUsedAgain()
    {
        using var server = new RedisProcess();
        await server.StartAsync(Ct);
        var sink = new LogSink();
        const string instance = "sbtest:outage:";
        await using var replica = new CacheReplica(server.Endpoint, instance, sink, retrySeconds: 1);
        var l2 = replica.Services.GetRequiredService<ResilientDistributedCache>();

        Assert.Equal(CacheStatus.Miss, (await replica.AskAsync("before", Ct)).GetCacheStatus());
        Assert.True(await KeyAppearsAsync(server.Endpoint, CacheReplica.RedisKey(instance, "before"), TimeSpan.FromSeconds(10)));
        Assert.False(l2.IsDegraded);

        server.Kill();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            var answer = await replica.AskAsync("during " + i, Ct);
            Assert.Equal("echo: during " + i, answer.Text);
            Assert.Equal(CacheStatus.Hit, (await replica.AskAsync("before", Ct)).GetCacheStatus()); // still served from process memory
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"requests stalled during the outage ({watch.Elapsed})");
        Assert.True(l2.IsDegraded);
        Assert.NotNull(l2.LastError);
        Assert.Equal(1, sink.Count(5010));

        await server.StartAsync(Ct);
        var recovered = false;
        var deadline = Stopwatch.StartNew();
        for (var n = 0; !recovered && deadline.Elapsed < TimeSpan.FromSeconds(30); n++)
        {
            var prompt = "after " + n;
            Assert.Equal("echo: " + prompt, (await replica.AskAsync(prompt, Ct)).Text);
            recovered = !l2.IsDegraded && await KeyAppearsAsync(server.Endpoint, CacheReplica.RedisKey(instance, prompt), TimeSpan.FromSeconds(1));
            if (!recovered)
            {
                await Task.Delay(250, Ct);
            }
        }

        Assert.True(recovered, "Redis was not used again after it came back");
        Assert.False(l2.IsDegraded);
        Assert.Equal(1, sink.Count(5010));
        Assert.Equal(1, sink.Count(5011));
    }
}
