using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;
using Switchboard.RateLimits;
using Switchboard.Redis;

namespace Switchboard.Tests.RateLimits;

public sealed class RateLimitServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, bool redisPackage = true)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSwitchboard(configuration);
        if (redisPackage)
        {
            services.AddSwitchboardRedis(configuration);
        }

        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task NoRedis_NoSharedStore()
    {
        await using var services = Build([]);
        Assert.Null(services.GetService<ISharedRateLimitStore>());
    }

    [Fact]
    public async Task CacheRedis_IsUsedForRateLimits_WhenNoSeparateOneIsSet()
    {
        await using var services = Build(new() { ["Switchboard:Cache:Redis"] = "127.0.0.1:1" });
        Assert.Equal("127.0.0.1:1", services.GetRequiredService<IOptions<RateLimitOptions>>().Value.Redis);
        Assert.IsType<RedisRateLimitStore>(services.GetService<ISharedRateLimitStore>());
    }

    [Fact]
    public async Task RedisConfigured_WithoutTheRedisPackage_FailsAtStartNamingThePackage()
    {
        // The core holds no Redis client: configuring Redis without Switchboard.Redis must not silently count per replica.
        await using var services = Build(new() { ["Switchboard:Cache:Redis"] = "127.0.0.1:1" }, redisPackage: false);
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        Assert.Contains("Switchboard.Redis", error.Message, StringComparison.Ordinal);
        Assert.Null(services.GetService<ISharedRateLimitStore>());
    }

    [Fact]
    public async Task NegativeQueueLimit_FailsNamingTheKey()
    {
        await using var services = Build(new() { ["Switchboard:RateLimits:QueueLimit"] = "-1" });
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        Assert.Contains("Switchboard:RateLimits:QueueLimit", error.Message, StringComparison.Ordinal);
    }
}
