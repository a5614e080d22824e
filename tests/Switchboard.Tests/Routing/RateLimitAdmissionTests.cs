using Microsoft.Extensions.AI;
using Switchboard.Providers;

namespace Switchboard.Tests.Routing;

/// <summary>The router's use of per-deployment rate limits, on a fake clock.</summary>
public sealed class RateLimitAdmissionTests
{
    [Fact]
    public async Task TokensRefused_SkipsTheDeployment_WithoutSpendingItsRequestPermit()
    {
        var h = new RouterHarness(o => o.Providers["openai"] = new ProviderOptions { ApiKey = "k", Rpm = 5, Tpm = 50 });
        var openai = h.Deployment("openai", "gpt-4.1");
        var longPrompt = new List<ChatMessage> { new(ChatRole.User, string.Join(' ', Enumerable.Repeat("word", 400))) };
        await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask()); // fills most of the 50 tokens: settles 15
        var before = h.Resilience.Limiter(openai).RequestsHeadroom;

        var response = await h.Router.GetResponseAsync(longPrompt, RouterHarness.Ask()); // over openai's tokens: skipped

        Assert.Equal("from anthropic", response.Text);
        Assert.Equal(before, h.Resilience.Limiter(openai).RequestsHeadroom);
    }
}
