using Switchboard.Chat;

namespace Switchboard.Tests.Routing;

public sealed class RouteTableTests
{
    [Fact]
    public void Resolve_ListedName_SameRouteEveryTime()
    {
        var h = new RouterHarness();

        var first = h.Table.Resolve("openai/gpt-4.1");
        var second = h.Table.Resolve("openai/gpt-4.1");

        Assert.Same(first, second);
        Assert.True(first.Deployments[0].IsListed);
    }

    [Fact]
    public void Resolve_UnlistedName_NotKept()
    {
        var h = new RouterHarness();

        var first = h.Table.Resolve("openai/zz-model-1");
        var second = h.Table.Resolve("openai/zz-model-1");

        Assert.NotSame(first, second);
        Assert.Equal(first.Deployments[0].Name, second.Deployments[0].Name);
        Assert.False(first.Deployments[0].IsListed);
    }

    [Fact]
    public void Resolve_UnknownName_StillNotFound_AfterKnownOnes()
    {
        var h = new RouterHarness();
        h.Table.Resolve("openai/gpt-4.1");

        var error = Assert.Throws<ProviderException>(() => h.Table.Resolve("nobody/serves-this"));

        Assert.Equal(ProviderErrorKind.NotFound, error.Kind);
    }
}
