using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.IntegrationTests.Gateway;

namespace Switchboard.IntegrationTests.Agents;

/// <summary>Each coding agent's default model, newer than the catalog, reaches its family's provider.</summary>
public sealed class AgentModelTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync(c =>
    {
        c["Switchboard:Routing:Aliases:claude-default-alias"] = "fast";
        c["Switchboard:Routing:Aliases:my-opus"] = "claude-opus-5-5";
    });

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    [Fact]
    public async Task ClaudeCodeDefaultModel_ThroughMessages_ReachesAnthropic()
    {
        var response = await _fx.Http.PostAsJsonAsync("v1/messages?beta=true", new
        {
            model = "claude-opus-5-5",
            max_tokens = 100,
            messages = new[] { new { role = "user", content = "Say hello" } },
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_fx.Emulator.Requests);
        Assert.Equal("anthropic", received.Protocol);
        Assert.Equal("claude-opus-5-5", received.Model);
    }

    [Theory]
    [InlineData("gpt-6.1-codex", "openai")]
    [InlineData("o7-mini", "openai")]
    [InlineData("codex-mini-latest", "openai")]
    [InlineData("gemini-3-pro", "gemini")]
    [InlineData("claude-haiku-5-1", "anthropic")]
    public async Task UnlistedModelOfAFamily_ThroughChatCompletions_ReachesThatProvider(string model, string protocol)
    {
        var response = await _fx.Http.PostAsJsonAsync("v1/chat/completions", new
        {
            model,
            messages = new[] { new { role = "user", content = "Say hello" } },
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_fx.Emulator.Requests);
        Assert.Equal(protocol, received.Protocol);
        Assert.Equal(model, received.Model);
    }

    [Fact]
    public async Task ModelOfNoFamily_Is404()
    {
        var response = await _fx.Http.PostAsJsonAsync("v1/chat/completions", new
        {
            model = "llama-9-huge",
            messages = new[] { new { role = "user", content = "Say hello" } },
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(_fx.Emulator.Requests);
    }

    [Fact]
    public async Task ConfiguredAlias_NamesARoute_OrAFamilyModel()
    {
        var viaRoute = await _fx.Http.PostAsJsonAsync("v1/chat/completions", new
        {
            model = "claude-default-alias",
            messages = new[] { new { role = "user", content = "Say hello" } },
        }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, viaRoute.StatusCode);

        _fx.Emulator.ResetCounters();
        var viaModel = await _fx.Http.PostAsJsonAsync("v1/messages", new
        {
            model = "my-opus",
            max_tokens = 100,
            messages = new[] { new { role = "user", content = "Say hello" } },
        }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, viaModel.StatusCode);
        var received = Assert.Single(_fx.Emulator.Requests);
        Assert.Equal("claude-opus-5-5", received.Model);
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal("claude-opus-5-5", body.RootElement.GetProperty("model").GetString());
    }
}
