using System.ClientModel;
using OpenAI;
using OpenAI.Chat;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>
/// Providers configured the way each SDK's documentation writes its base URL: OpenAI's with <c>/v1</c> (what
/// <c>OPENAI_BASE_URL</c> holds), Anthropic's and Google's without a version, and the official OpenAI SDK as the client.
/// </summary>
public sealed class GatewayBaseUrlTests
{
    [Fact]
    public async Task OpenAISdk_GatewayWithSdkStyleBaseUrls_ReachesEachProviderOnItsOwnPath()
    {
        await using var fx = await GatewayFixture.StartAsync(c =>
        {
            c["Switchboard:Providers:openai:BaseUrl"] = c["Switchboard:Providers:openai:BaseUrl"] + "v1";
            c["Switchboard:Providers:gemini:BaseUrl"] = c["Switchboard:Providers:gemini:BaseUrl"]!.TrimEnd('/');
        });
        var options = new OpenAIClientOptions { Endpoint = new Uri(fx.BaseUrl, "v1"), NetworkTimeout = TimeSpan.FromSeconds(30) };
        var key = new ApiKeyCredential(GatewayFixture.MasterKey);

        foreach (var model in new[] { "openai/gpt-4.1", "anthropic/claude-sonnet-4-6", "gemini/gemini-2.5-flash" })
        {
            var completion = (await new ChatClient(model, key, options).CompleteChatAsync([new UserChatMessage("Say hello")],
                cancellationToken: TestContext.Current.CancellationToken)).Value;
            Assert.Contains("Emulated", completion.Content[0].Text, StringComparison.Ordinal);
        }

        var paths = fx.Emulator.Requests.Select(r => r.Path).ToList();
        Assert.Contains("/v1/chat/completions", paths);
        Assert.Contains("/v1/messages", paths);
        Assert.Contains(paths, p => p.StartsWith("/v1beta/models/gemini-2.5-flash:generateContent", StringComparison.Ordinal));
        Assert.DoesNotContain(paths, p => p.Contains("/v1/v1", StringComparison.Ordinal));
    }
}
