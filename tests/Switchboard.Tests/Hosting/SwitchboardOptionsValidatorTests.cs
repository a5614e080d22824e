using Switchboard.Hosting;
using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard.Tests.Hosting;

public sealed class SwitchboardOptionsValidatorTests
{
    [Fact]
    public void Valid_Passes()
    {
        var options = new SwitchboardOptions();
        options.Providers["openai"] = new ProviderOptions { ApiKey = "k" };

        Assert.True(new SwitchboardOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void EveryError_ReportedAtOnce_EachNamingItsKey()
    {
        var options = new SwitchboardOptions();
        options.Providers["weird"] = new ProviderOptions { Type = "nope", ApiKey = "k" };
        options.Providers["local"] = new ProviderOptions { Type = "openai-compatible" };
        options.Providers["anthropic"] = new ProviderOptions { Rpm = 0 };
        var route = new RouteDefinition { Policy = "fastest" };
        route.Targets.Add("nowhere/model");
        route.Targets.Add("no-slash");
        options.Models["bad"] = route;
        options.Routing.MaxAttempts = 0;

        var result = new SwitchboardOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("Switchboard:Providers:weird:Type", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Switchboard:Providers:local:BaseUrl", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Switchboard:Providers:anthropic:ApiKey", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Switchboard:Providers:anthropic:Rpm", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Switchboard:Models:bad:Policy", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Switchboard:Models:bad:Targets:0", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Switchboard:Models:bad:Targets:1", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Switchboard:Routing:MaxAttempts", StringComparison.Ordinal));
    }
}
