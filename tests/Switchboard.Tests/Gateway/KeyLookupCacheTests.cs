using Microsoft.Extensions.Time.Testing;
using Switchboard.Gateway.Auth;

namespace Switchboard.Tests.Gateway;

/// <summary>The key lookup cache stays bounded under a flood of random keys, and forgets unknown keys quickly.</summary>
public sealed class KeyLookupCacheTests
{
    private static readonly VirtualKey Real = new() { Id = "key_real", Name = "real", Prefix = "sb-real", CreatedAt = DateTimeOffset.UnixEpoch };

    [Fact]
    public async Task FourThousandRandomKeysAndMore_StayWithinTheUnknownBound()
    {
        var cache = new KeyLookupCache(new FakeTimeProvider());
        for (var i = 0; i < 4 * KeyLookupCache.MaxUnknownEntries; i++)
        {
            await cache.FindAsync($"sb-random-{i}", (_, _) => Task.FromResult<VirtualKey?>(null), CancellationToken.None);
        }

        Assert.True(cache.Count <= KeyLookupCache.MaxUnknownEntries, $"{cache.Count} entries");
    }

    [Fact]
    public async Task UnknownKey_IsLookedUpAgainAfterTheShortNegativeWindow()
    {
        var time = new FakeTimeProvider();
        var cache = new KeyLookupCache(time);
        var loads = 0;
        VirtualKey? stored = null;
        Task<VirtualKey?> Load(string hash, CancellationToken ct)
        {
            loads++;
            return Task.FromResult(stored);
        }

        Assert.Null(await cache.FindAsync("sb-new", Load, CancellationToken.None));
        stored = Real; // created on another replica just after the miss
        time.Advance(KeyLookupCache.UnknownFor);
        Assert.Same(Real, await cache.FindAsync("sb-new", Load, CancellationToken.None));
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task RandomKeyFlood_DoesNotEvictAKnownKey()
    {
        var cache = new KeyLookupCache(new FakeTimeProvider());
        var loads = 0;
        await cache.FindAsync("sb-real", (_, _) => { loads++; return Task.FromResult<VirtualKey?>(Real); }, CancellationToken.None);
        for (var i = 0; i < 2 * KeyLookupCache.MaxUnknownEntries; i++)
        {
            await cache.FindAsync($"sb-random-{i}", (_, _) => Task.FromResult<VirtualKey?>(null), CancellationToken.None);
        }

        Assert.Same(Real, await cache.FindAsync("sb-real", (_, _) => { loads++; return Task.FromResult<VirtualKey?>(Real); }, CancellationToken.None));
        Assert.Equal(1, loads);
    }
}
