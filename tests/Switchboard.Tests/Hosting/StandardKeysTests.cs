using Microsoft.Extensions.Configuration;
using Switchboard.Hosting;
using Switchboard.Providers;

namespace Switchboard.Tests.Hosting;

public sealed class StandardKeysTests
{
    private static SwitchboardOptions Apply(Dictionary<string, string?> variables, Action<SwitchboardOptions>? configure = null)
    {
        var options = new SwitchboardOptions();
        configure?.Invoke(options);
        StandardKeys.Apply(options, new ConfigurationBuilder().AddInMemoryCollection(variables).Build());
        return options;
    }

    [Fact]
    public void BaseUrlVariables_SetNextToKeys_GiveEachProviderItsBase()
    {
        var options = Apply(new()
        {
            ["OPENAI_API_KEY"] = "k1", ["OPENAI_BASE_URL"] = "http://127.0.0.1:11434/v1",
            ["ANTHROPIC_API_KEY"] = "k2", ["ANTHROPIC_BASE_URL"] = "https://anthropic.example.com",
            ["GEMINI_API_KEY"] = "k3", ["GOOGLE_GEMINI_BASE_URL"] = "https://gemini.example.com",
        });

        Assert.Equal(new Uri("http://127.0.0.1:11434/v1"), options.Providers["openai"].BaseUrl);
        Assert.Equal(new Uri("https://anthropic.example.com"), options.Providers["anthropic"].BaseUrl);
        Assert.Equal(new Uri("https://gemini.example.com"), options.Providers["gemini"].BaseUrl);
    }

    [Fact]
    public void BaseUrlVariable_ConfiguredBaseUrlWins()
    {
        var options = Apply(new() { ["OPENAI_BASE_URL"] = "https://env.example.com/v1" },
            o => o.Providers["openai"] = new ProviderOptions { ApiKey = "k", BaseUrl = new Uri("https://configured.example.com/v1") });

        Assert.Equal(new Uri("https://configured.example.com/v1"), options.Providers["openai"].BaseUrl);
    }

    [Fact]
    public void BaseUrlVariable_WithoutProvider_AddsNone()
    {
        var options = Apply(new() { ["ANTHROPIC_BASE_URL"] = "https://anthropic.example.com" });

        Assert.Empty(options.Providers);
    }
}
