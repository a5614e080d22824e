using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.RateLimits;

namespace Switchboard.Tests.RateLimits;

public sealed class RateLimitServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging()
            .AddSwitchboardRateLimits(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    [Fact]
    public async Task NoRedis_NoSharedStore()
    {
        await using var services = Build([]);
        Assert.Null(services.GetService<RedisRateLimitStore>());
    }

    [Fact]
    public async Task CacheRedis_IsUsedForRateLimits_WhenNoSeparateOneIsSet()
    {
        await using var services = Build(new() { ["Switchboard:Cache:Redis"] = "127.0.0.1:1" });
        Assert.Equal("127.0.0.1:1", services.GetRequiredService<IOptions<RateLimitOptions>>().Value.Redis);
        Assert.NotNull(services.GetService<RedisRateLimitStore>());
    }

    [Fact]
    public async Task NegativeQueueLimit_FailsNamingTheKey()
    {
        await using var services = Build(new() { ["Switchboard:RateLimits:QueueLimit"] = "-1" });
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        Assert.Contains("Switchboard:RateLimits:QueueLimit", error.Message, StringComparison.Ordinal);
    }
}
