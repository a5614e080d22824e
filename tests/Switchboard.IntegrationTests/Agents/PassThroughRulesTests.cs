using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Emulator;
using Switchboard.IntegrationTests.Gateway;

namespace Switchboard.IntegrationTests.Agents;

/// <summary>
/// <c>Switchboard:Providers:&lt;name&gt;:PassThrough</c> drops, for one Anthropic upstream, a beta and a top-level field a new
/// client release sends and that upstream rejects; an Anthropic upstream without rules still receives everything as sent.
/// </summary>
public sealed class PassThroughRulesTests : IAsyncLifetime
{
    private const string Betas = "claude-code-20250219,context-management-2025-06-27,effort-2025-11-24";
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync(config =>
    {
        config["Switchboard:Providers:anthropic:PassThrough:Betas:Deny:0"] = "context-management-*";
        config["Switchboard:Providers:anthropic:PassThrough:Fields:Deny:0"] = "context_management";
        config["Switchboard:Providers:faithful:Type"] = "anthropic";
        config["Switchboard:Providers:faithful:BaseUrl"] = config["Switchboard:Providers:anthropic:BaseUrl"];
        config["Switchboard:Providers:faithful:ApiKey"] = "faithful-test-key";
    });

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private async Task<EmulatorRequest> SendAsync(string model)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["max_tokens"] = 1000,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hello" }),
            ["context_management"] = new JsonObject { ["edits"] = new JsonArray(new JsonObject { ["type"] = "clear_tool_uses_20250919" }) },
            ["output_config"] = new JsonObject { ["effort"] = "high" },
            ["metadata"] = new JsonObject { ["user_id"] = "u-1" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages?beta=true")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("anthropic-beta", Betas);
        using var response = await _fx.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return _fx.Emulator.Requests[^1];
    }

    [Fact]
    public async Task ConfiguredRules_DropTheNamedBetaAndField_ForThatProviderOnly()
    {
        var restricted = await SendAsync("anthropic/claude-sonnet-4-6");
        var faithful = await SendAsync("faithful/claude-sonnet-4-6");

        Assert.Equal("claude-code-20250219,effort-2025-11-24", restricted.Headers["anthropic-beta"]);
        var sent = JsonNode.Parse(restricted.Body)!.AsObject();
        Assert.False(sent.ContainsKey("context_management"), restricted.Body);
        Assert.Equal("high", (string?)sent["output_config"]!["effort"]);
        Assert.Equal("u-1", (string?)sent["metadata"]!["user_id"]);

        Assert.Equal(Betas, faithful.Headers["anthropic-beta"]); // byte for byte
        var all = JsonNode.Parse(faithful.Body)!.AsObject();
        Assert.Equal("clear_tool_uses_20250919", (string?)all["context_management"]!["edits"]![0]!["type"]);
        Assert.Equal("high", (string?)all["output_config"]!["effort"]);
    }
}
