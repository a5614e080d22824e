using Switchboard.Providers;

namespace Switchboard.Tests.Providers;

public sealed class ProviderBaseUrlTests
{
    [Theory]
    [InlineData("https://api.openai.com/v1", "v1", "https://api.openai.com/v1/")]
    [InlineData("https://api.openai.com/v1/", "v1", "https://api.openai.com/v1/")]
    [InlineData("https://api.openai.com", "v1", "https://api.openai.com/v1/")]
    [InlineData("http://127.0.0.1:11434/v1", "v1", "http://127.0.0.1:11434/v1/")]
    [InlineData("https://gw.example.com/openai/v1", "v1", "https://gw.example.com/openai/v1/")]
    [InlineData("https://api.anthropic.com", "v1", "https://api.anthropic.com/v1/")]
    [InlineData("https://generativelanguage.googleapis.com", "v1beta", "https://generativelanguage.googleapis.com/v1beta/")]
    [InlineData("https://generativelanguage.googleapis.com/v1beta", "v1beta", "https://generativelanguage.googleapis.com/v1beta/")]
    [InlineData("https://generativelanguage.googleapis.com/v1", "v1beta", "https://generativelanguage.googleapis.com/v1/")]
    [InlineData("https://proxy.example.com/vendor", "v1", "https://proxy.example.com/vendor/v1/")]
    [InlineData("https://proxy.example.com/v1x", "v1", "https://proxy.example.com/v1x/v1/")]
    public void VersionedRoot_BaseWithOrWithoutVersion_OneRoot(string baseUrl, string defaultVersion, string expected) =>
        Assert.Equal(expected, ProviderBaseUrl.VersionedRoot(new Uri(baseUrl), defaultVersion));
}
