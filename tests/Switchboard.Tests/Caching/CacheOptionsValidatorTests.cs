using Switchboard.Caching;

namespace Switchboard.Tests.Caching;

public sealed class CacheOptionsValidatorTests
{
    [Fact]
    public void Validate_ReportsEveryErrorAtOnce_NamingTheKey()
    {
        var options = new CacheOptions { Mode = "sometimes", DefaultTtl = TimeSpan.Zero, MaxEntryBytes = 0, Redis = "127.0.0.1:1,nonsense=1" };
        options.RouteTtls["smart"] = "soon";

        var result = new CacheOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var errors = result.Failures!.ToList();
        Assert.Contains(errors, e => e.StartsWith("Switchboard:Cache:Mode", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Switchboard:Cache:DefaultTtl", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Switchboard:Cache:MaxEntryBytes", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Switchboard:Cache:RouteTtls:smart", StringComparison.Ordinal));
        // The connection string is the Redis package's to check (the core holds no Redis client).
        Assert.DoesNotContain(errors, e => e.StartsWith("Switchboard:Cache:Redis", StringComparison.Ordinal));
        var redis = new Switchboard.Redis.RedisConnectionValidator().Validate(null, options);
        Assert.StartsWith("Switchboard:Cache:Redis", Assert.Single(redis.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreValid_AndRouteTtlsAcceptSecondsOrTimeSpans()
    {
        var options = new CacheOptions();
        options.RouteTtls["fast"] = "600";
        options.RouteTtls["smart"] = "02:00:00";

        Assert.True(new CacheOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromMinutes(10), options.TtlFor("fast"));
        Assert.Equal(TimeSpan.FromHours(2), options.TtlFor("SMART"));
        Assert.Equal(TimeSpan.FromHours(24), options.TtlFor("other"));
    }
}
