using Microsoft.Extensions.AI;
using Switchboard.Pricing;

namespace Switchboard.Tests.Pricing;

public sealed class TokenEstimatorTests
{
    [Fact]
    public void CountText_UsesO200kOffline()
    {
        // "hello world" is two tokens in o200k.
        Assert.Equal(2, TokenEstimator.Default.CountText("hello world"));
        Assert.Equal(0, TokenEstimator.Default.CountText(""));
    }

    [Fact]
    public void CountInput_GrowsWithMessagesAndTools()
    {
        List<ChatMessage> one = [new(ChatRole.User, "hello world")];
        List<ChatMessage> two = [new(ChatRole.System, "be brief"), new(ChatRole.User, "hello world")];
        var withTool = new ChatOptions { Tools = [AIFunctionFactory.Create((string city) => city, "weather", "Gets the weather")] };

        var a = TokenEstimator.Default.CountInput(one);
        var b = TokenEstimator.Default.CountInput(two);
        var c = TokenEstimator.Default.CountInput(one, withTool);

        Assert.True(b > a);
        Assert.True(c > a);
    }
}
