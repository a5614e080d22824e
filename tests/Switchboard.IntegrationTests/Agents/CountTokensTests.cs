using System.Net;
using System.Text;
using System.Text.Json;
using Switchboard.IntegrationTests.Gateway;

namespace Switchboard.IntegrationTests.Agents;

/// <summary><c>POST /v1/messages/count_tokens</c> answers the tokenizer's estimate for a model on any provider.</summary>
public sealed class CountTokensTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> CountAsync(HttpClient client, string json, string path = "v1/messages/count_tokens?beta=true")
    {
        var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    [Theory]
    [InlineData("claude-opus-5-5")]
    [InlineData("openai/gpt-4.1")]
    [InlineData("gemini-3-pro")]
    public async Task CountTokens_AnyProvider_InputTokens_GrowWithTheRequest(string model)
    {
        var (shortStatus, shortBody) = await CountAsync(_fx.Http,
            $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hi"}]}""");
        var longText = string.Join(' ', Enumerable.Repeat("The quick brown fox jumps over the lazy dog.", 50));
        var (longStatus, longBody) = await CountAsync(_fx.Http,
            "{\"model\":\"" + model + "\",\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"" + longText + "\"}]," +
            "\"tools\":[{\"name\":\"Read\",\"description\":\"Reads a file\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}}]}");

        Assert.Equal(HttpStatusCode.OK, shortStatus);
        Assert.Equal(HttpStatusCode.OK, longStatus);
        var few = shortBody.GetProperty("input_tokens").GetInt64();
        var many = longBody.GetProperty("input_tokens").GetInt64();
        Assert.InRange(few, 1, 50);
        Assert.True(many > few + 400, $"{many} vs {few}");
        Assert.Empty(_fx.Emulator.Requests);
    }

    [Fact]
    public async Task CountTokens_NeedsAKey_AndAKnownModel_AndValidJson_InAnthropicShape()
    {
        using var anonymous = _fx.Anonymous();
        var (status, body) = await CountAsync(anonymous, """{"model":"claude-sonnet-4-6","messages":[{"role":"user","content":"Hi"}]}""");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("authentication_error", body.GetProperty("error").GetProperty("type").GetString());

        (status, body) = await CountAsync(_fx.Http, """{"model":"llama-nothing","messages":[{"role":"user","content":"Hi"}]}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("not_found_error", body.GetProperty("error").GetProperty("type").GetString());

        (status, body) = await CountAsync(_fx.Http, """{"model":"claude-sonnet-4-6","messages":"nope"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
    }
}
