using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Caching;
using Switchboard.Redis;

namespace Switchboard.Tests.Caching;

public sealed class ResilientDistributedCacheTests
{
    private sealed class FlakyCache : IDistributedCache
    {
        private readonly Dictionary<string, byte[]> _values = [];

        public bool Down { get; set; }

        public int Calls { get; private set; }

        public byte[]? Get(string key) => Touch() ? _values.GetValueOrDefault(key) : null;

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(Get(key));

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
        {
            Touch();
            _values[key] = value;
        }

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            Set(key, value, options);
            return Task.CompletedTask;
        }

        public void Refresh(string key) => Touch();

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.FromResult(Touch());

        public void Remove(string key) => _values.Remove(key);

        public Task RemoveAsync(string key, CancellationToken token = default) => Task.FromResult(_values.Remove(key));

        private bool Touch()
        {
            Calls++;
            return Down ? throw new System.Net.Sockets.SocketException(111, "No connection is available") : true;
        }
    }

    [Fact]
    public async Task Outage_DegradesQuietly_LogsOnce_BacksOff_AndRecovers()
    {
        var time = new FakeTimeProvider();
        var inner = new FlakyCache();
        var logger = new ListLogger<ResilientDistributedCache>();
        var cache = new ResilientDistributedCache(inner, time, TimeSpan.FromSeconds(5), logger);
        await cache.SetAsync("k", [1], new DistributedCacheEntryOptions(), TestContext.Current.CancellationToken);

        inner.Down = true;
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(await cache.GetAsync("k", TestContext.Current.CancellationToken));
            await cache.SetAsync("k", [2], new DistributedCacheEntryOptions(), TestContext.Current.CancellationToken);
        }

        Assert.True(cache.IsDegraded);
        Assert.Contains("No connection", cache.LastError, StringComparison.Ordinal);
        Assert.Equal(2, inner.Calls); // the first set, then one failed read; the rest skipped during the back-off
        Assert.Equal(1, logger.Count(5010));

        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Null(cache.Get("k")); // one probe, still down
        Assert.Null(cache.Get("k")); // skipped again
        Assert.Equal(3, inner.Calls);
        Assert.Equal(1, logger.Count(5010));

        inner.Down = false;
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal([1], cache.Get("k"));
        Assert.False(cache.IsDegraded);
        Assert.Null(cache.LastError);
        Assert.Equal(1, logger.Count(5011));
    }
}
