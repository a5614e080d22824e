using System.Net;
using System.Text;
using System.Text.Json;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>A budget cannot be bypassed with a model the catalog has no price for, or with fields that change the price.</summary>
public sealed class GatewayUnpricedBudgetTests
{
    private static Task<GatewayFixture> StartAsync(decimal limitUsd, Action<Dictionary<string, string?>>? more = null) =>
        GatewayFixture.StartAsync(c =>
        {
            c["Switchboard:Budgets:0:Name"] = "all";
            c["Switchboard:Budgets:0:Scope"] = "global";
            c["Switchboard:Budgets:0:Window"] = "total";
            c["Switchboard:Budgets:0:LimitUsd"] = limitUsd.ToString(System.Globalization.CultureInfo.InvariantCulture);
            more?.Invoke(c);
        });

    private static async Task<(HttpStatusCode Status, string Text, HttpResponseMessage Response)> Chat(GatewayFixture fx, string model, string extra = "")
    {
        var response = await fx.Http.PostAsync("v1/chat/completions", new StringContent(
            $$"""{"model":"{{model}}","max_tokens":16,"messages":[{"role":"user","content":"hi"}]{{extra}}}""", Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Fact]
    public async Task ChatCompletions_UnpricedModelUnderASpentBudget_IsRefusedNamingTheModel()
    {
        // A budget too small for any priced request: it is spent as far as the catalog's models are concerned.
        await using var fx = await StartAsync(0.00000001m);
        Assert.Equal(HttpStatusCode.PaymentRequired, (await Chat(fx, "openai/gpt-4.1-mini")).Status);
        var (status, text, _) = await Chat(fx, "openai/some-unknown-model");
        Assert.Equal(HttpStatusCode.PaymentRequired, status);
        Assert.Contains("some-unknown-model", JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task ChatCompletions_UnpricedModelUnderABudget_WithoutFallbackPrice_IsRefused()
    {
        await using var fx = await StartAsync(100m);
        var (status, text, _) = await Chat(fx, "openai/some-unknown-model");
        Assert.Equal(HttpStatusCode.PaymentRequired, status);
        Assert.Equal("unpriced_model", JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ChatCompletions_UnpricedModelWithFallbackPrice_IsServedAndCostsTheFallbackPrice()
    {
        await using var fx = await StartAsync(100m, c =>
        {
            c["Switchboard:Catalog:UnpricedModel:InputPerMTok"] = "1000";
            c["Switchboard:Catalog:UnpricedModel:OutputPerMTok"] = "2000";
        });
        var (status, _, response) = await Chat(fx, "openai/some-unknown-model");
        Assert.Equal(HttpStatusCode.OK, status);
        var cost = decimal.Parse(response.Headers.GetValues("x-switchboard-cost-usd").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(cost > 0m, $"cost was {cost}");
    }

    [Fact]
    public async Task ChatCompletions_UnpricedModelWithFallbackPrice_UnderASpentBudget_IsRefused()
    {
        await using var fx = await StartAsync(0.00000001m, c =>
        {
            c["Switchboard:Catalog:UnpricedModel:InputPerMTok"] = "1";
            c["Switchboard:Catalog:UnpricedModel:OutputPerMTok"] = "1";
        });
        var (status, _, _) = await Chat(fx, "openai/some-unknown-model");
        Assert.Equal(HttpStatusCode.PaymentRequired, status);
    }

    [Theory]
    [InlineData(""","service_tier":"priority" """, "service_tier")]
    [InlineData(""","modalities":["text","audio"],"audio":{"voice":"alloy","format":"wav"}""", "modalities")]
    [InlineData(""","web_search_options":{}""", "web_search_options")]
    public async Task ChatCompletions_PriceChangingFieldUnderABudget_Returns400NamingTheField(string extra, string field)
    {
        await using var fx = await StartAsync(100m);
        var (status, text, _) = await Chat(fx, "openai/gpt-4.1-mini", extra);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("param").GetString());
    }
}
