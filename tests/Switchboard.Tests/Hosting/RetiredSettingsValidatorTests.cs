using Microsoft.Extensions.Configuration;
using Switchboard.Hosting;

namespace Switchboard.Tests.Hosting;

public sealed class RetiredSettingsValidatorTests
{
    [Fact]
    public void OldTimeoutKeys_StopStartUp_NamingTheirReplacements()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Routing:TotalTimeoutSeconds"] = "60",
            ["Switchboard:Providers:anthropic:TimeoutSeconds"] = "60",
            ["Switchboard:Providers:anthropic:StreamIdleTimeoutSeconds"] = "30",
        }).Build();

        var result = new RetiredSettingsValidator(configuration).Validate(null, new SwitchboardOptions());

        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.StartsWith("Switchboard:Routing:TotalTimeoutSeconds", StringComparison.Ordinal) && f.Contains("AttemptTimeoutSeconds", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Switchboard:Providers:anthropic:TimeoutSeconds", StringComparison.Ordinal));
    }

    [Fact]
    public void CurrentKeysOnly_Pass()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Routing:AttemptTimeoutSeconds"] = "600",
            ["Switchboard:Providers:anthropic:StreamIdleTimeoutSeconds"] = "30",
        }).Build();

        Assert.True(new RetiredSettingsValidator(configuration).Validate(null, new SwitchboardOptions()).Succeeded);
    }
}
