using Switchboard.Chat;
using Switchboard.Routing;

namespace Switchboard.Tests.Routing;

public sealed class ModelFamilyRoutingTests
{
    [Theory]
    [InlineData("claude-opus-6-1", "anthropic/claude-opus-6-1")]
    [InlineData("gpt-6.1-codex", "openai/gpt-6.1-codex")]
    [InlineData("o9", "openai/o9")]
    [InlineData("O5-mini", "openai/O5-mini")]
    [InlineData("codex-mini-latest", "openai/codex-mini-latest")]
    [InlineData("gemini-3-pro", "gemini/gemini-3-pro")]
    public void UnlistedModel_OfAFamily_GoesToThatProvider_Unpriced(string model, string deployment)
    {
        var route = new RouterHarness().Table.Resolve(model);

        var only = Assert.Single(route.Deployments);
        Assert.Equal(deployment, only.Name);
        Assert.Null(only.Info);
        Assert.False(route.IsAlias);
    }

    [Theory]
    [InlineData("omni-model")]
    [InlineData("llama-4")]
    [InlineData("o")]
    public void ModelOfNoFamily_IsNotFound(string model) =>
        Assert.Equal(ProviderErrorKind.NotFound, Assert.Throws<ProviderException>(() => new RouterHarness().Table.Resolve(model)).Kind);

    [Fact]
    public void FamilyWithoutAConfiguredProvider_IsNotFound()
    {
        var h = new RouterHarness(o => o.Providers.Remove("gemini"));
        Assert.Throws<ProviderException>(() => h.Table.Resolve("gemini-3-pro"));
    }

    [Fact]
    public void ConfiguredFamily_ReplacesThatTypesDefaults()
    {
        var h = new RouterHarness(o => o.Routing.ModelFamilies["gemini"] = ["gemma-*"]);

        Assert.Equal("gemini/gemma-9", Assert.Single(h.Table.Resolve("gemma-9").Deployments).Name);
        Assert.Throws<ProviderException>(() => h.Table.Resolve("gemini-3-pro"));
        Assert.Equal("anthropic/claude-opus-5-5", Assert.Single(h.Table.Resolve("claude-opus-5-5").Deployments).Name);
    }

    [Theory]
    [InlineData("claude-sonnet-4-6")]
    [InlineData("claude-opus-5-5")] // Claude Code's default model in December 2026, priced in the catalog
    public void CatalogModel_KeepsItsPrice(string model)
    {
        var route = new RouterHarness().Table.Resolve(model);
        Assert.True(Assert.Single(route.Deployments).Info?.InputPerMTok > 0);
    }

    [Fact]
    public void Alias_ResolvesToARoute_AModel_OrAnotherAlias_AndCyclesAreNotFound()
    {
        var h = new RouterHarness(o =>
        {
            o.Routing.Aliases["claude-opus-5-5"] = "main";
            o.Routing.Aliases["house"] = "claude-opus-5-5";
            o.Routing.Aliases["pinned"] = "gemini/gemini-2.5-flash";
            o.Routing.Aliases["loop-a"] = "loop-b";
            o.Routing.Aliases["loop-b"] = "loop-a";
        });

        Assert.Equal("main", h.Table.Resolve("claude-opus-5-5").Name);
        Assert.Equal("main", h.Table.Resolve("house").Name);
        Assert.Equal("gemini/gemini-2.5-flash", Assert.Single(h.Table.Resolve("pinned").Deployments).Name);
        Assert.Throws<ProviderException>(() => h.Table.Resolve("loop-a"));
        Assert.Equal(["claude-opus-5-5", "house", "pinned"], h.Table.Aliases.Order(StringComparer.Ordinal));
    }
}
