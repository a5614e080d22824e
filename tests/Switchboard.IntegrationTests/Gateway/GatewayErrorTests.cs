using System.Net;
using System.Text;
using System.Text.Json;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>Every error case answers in the endpoint's own format with the right status; none is a 500.</summary>
public sealed class GatewayErrorTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync(c =>
    {
        c["Switchboard:Gateway:MaxRequestBytes"] = "4096";
        c["Switchboard:Routing:Retry:MaxRetries"] = "0";
    });

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> Post(string path, string body, HttpClient? client = null)
    {
        var response = await (client ?? _fx.Http).PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private static void AssertOpenAIError(JsonElement body, string? param = null)
    {
        var error = body.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("code", out _));
        Assert.True(error.TryGetProperty("param", out var p));
        if (param is not null)
        {
            Assert.Equal(param, p.GetString());
        }
    }

    private static void AssertAnthropicError(JsonElement body, string type)
    {
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal(type, body.GetProperty("error").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetProperty("message").GetString()));
    }

    [Fact]
    public async Task MalformedJson_400_OpenAIShape()
    {
        var (status, body, _) = await Post("v1/chat/completions", "{not json");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertOpenAIError(body);
    }

    [Fact]
    public async Task MissingMessages_400_NamesTheField()
    {
        var (status, body, _) = await Post("v1/chat/completions", """{"model":"smart"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertOpenAIError(body, "messages");
    }

    [Fact]
    public async Task WrongFieldType_400_NamesTheField()
    {
        var (status, body, _) = await Post("v1/chat/completions", """{"model":"smart","temperature":"hot","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertOpenAIError(body, "temperature");
    }

    [Fact]
    public async Task UnknownModel_404()
    {
        var (status, body, _) = await Post("v1/chat/completions", """{"model":"no-such-model","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertOpenAIError(body, "model");
        Assert.Equal("model_not_found", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task NoKey_401_InEachFormat()
    {
        using var anonymous = _fx.Anonymous();
        var (openAIStatus, openAIBody, _) = await Post("v1/chat/completions", """{"model":"smart","messages":[{"role":"user","content":"hi"}]}""", anonymous);
        var (anthropicStatus, anthropicBody, _) = await Post("v1/messages", """{"model":"smart","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", anonymous);

        Assert.Equal(HttpStatusCode.Unauthorized, openAIStatus);
        AssertOpenAIError(openAIBody);
        Assert.Equal(HttpStatusCode.Unauthorized, anthropicStatus);
        AssertAnthropicError(anthropicBody, "authentication_error");
    }

    [Fact]
    public async Task WrongKey_401()
    {
        using var client = _fx.WithKey("sb-not-a-real-key-000000000000000000");
        var (status, body, _) = await Post("v1/chat/completions", """{"model":"smart","messages":[{"role":"user","content":"hi"}]}""", client);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        AssertOpenAIError(body);
    }

    [Fact]
    public async Task BodyTooLarge_413()
    {
        var big = new string('a', 10_000);
        var (status, body, _) = await Post("v1/chat/completions", $$"""{"model":"smart","messages":[{"role":"user","content":"{{big}}"}]}""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        AssertOpenAIError(body);
    }

    [Fact]
    public async Task Anthropic_MissingMaxTokens_400_AnthropicShape()
    {
        var (status, body, _) = await Post("v1/messages", """{"model":"smart","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertAnthropicError(body, "invalid_request_error");
        Assert.Contains("max_tokens", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatStream_MissingMessage_400()
    {
        var (status, body, _) = await Post("api/chat/stream", """{"system_prompt":"x"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("message", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryProviderFails_503_ListingEachAttempt()
    {
        _fx.Emulator.Options.Fault = "status=500";
        try
        {
            var (status, body, response) = await Post("v1/chat/completions", """{"model":"smart","messages":[{"role":"user","content":"hi"}]}""");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.True(int.Parse(GatewayEndpointTests.Header(response, "x-switchboard-attempts")!, System.Globalization.CultureInfo.InvariantCulture) >= 3);
            Assert.Equal("all_providers_unavailable", body.GetProperty("error").GetProperty("code").GetString());
            var message = body.GetProperty("error").GetProperty("message").GetString()!;
            Assert.Contains("anthropic/claude-sonnet-4-6", message, StringComparison.Ordinal);
            Assert.Contains("openai/gpt-4.1", message, StringComparison.Ordinal);
            Assert.Contains("gemini/gemini-2.5-pro", message, StringComparison.Ordinal);
        }
        finally
        {
            _fx.Emulator.Options.Fault = null;
        }
    }

    [Fact]
    public async Task AdminWithoutMasterKey_401()
    {
        using var anonymous = _fx.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("admin/keys")).StatusCode);
    }
}
