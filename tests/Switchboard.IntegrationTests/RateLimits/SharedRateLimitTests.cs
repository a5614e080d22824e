using System.Net;
using System.Net.Sockets;
using Switchboard.IntegrationTests.Caching;

namespace Switchboard.IntegrationTests.RateLimits;

/// <summary>Per-key rate limits shared by two replicas through a real Redis, and local limits when Redis is unreachable.</summary>
public sealed class SharedRateLimitTests
{
    private const int Limit = 10;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoReplicas_OneRedis_KeyLimitedToN_AtMostNOfThreeNSucceed_RestAre429WithRetryAfter()
    {
        var sink = new LogSink();
        await using var replicas = await RateLimitReplicas.StartAsync(RedisResponseCacheTests.RequireRedis(), sink);
        var key = await replicas.CreateKeyAsync(Limit, Ct);
        using var a = replicas.Client(0, key);
        using var b = replicas.Client(1, key);

        var statuses = new List<HttpStatusCode>();
        var retryAfters = new List<TimeSpan?>();
        for (var i = 0; i < 3 * Limit; i++)
        {
            using var response = await RateLimitReplicas.ChatAsync(i % 2 == 0 ? a : b, Ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                retryAfters.Add(response.Headers.RetryAfter?.Delta);
            }
        }

        // Tolerance 0: one atomic script per check counts every request of both replicas. (A minute boundary inside
        // the run could admit more; the sliding window weights the previous minute, so it does not.)
        Assert.Equal(0, sink.Count(5201)); // Redis answered throughout
        var ok = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.Equal(Limit, ok);
        Assert.Equal(2 * Limit, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.All(retryAfters, r => Assert.True(r is { TotalSeconds: >= 1 and <= 60 }, $"retry-after {r}"));
    }

    [Fact]
    public async Task RedisUnreachable_LimitsFallBackToLocal_RequestsStillSucceed_SaidOnce()
    {
        var sink = new LogSink();
        await using var replicas = await RateLimitReplicas.StartAsync($"127.0.0.1:{ClosedPort()}", sink);
        var key = await replicas.CreateKeyAsync(Limit, Ct);
        using var a = replicas.Client(0, key);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Limit + 3; i++)
        {
            using var response = await RateLimitReplicas.ChatAsync(a, Ct);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, Limit), statuses.Take(Limit));
        Assert.All(statuses.Skip(Limit), s => Assert.Equal(HttpStatusCode.TooManyRequests, s)); // the local limit holds
        Assert.Equal(1, sink.Count(5201)); // "Shared rate limits unavailable": once, not per request
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
