using System.Net;
using System.Text;
using System.Text.Json;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>The reproductions on the wire: hostile text answers 400 in each edge's own error format.</summary>
public sealed class GatewayHostileInputTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> Post(string path, string body)
    {
        using var response = await _fx.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task ChatCompletions_LoneSurrogate_Returns400InOpenAIShape()
    {
        var (status, body) = await Post("v1/chat/completions", """{"model":"openai/gpt-4.1-mini","messages":[{"role":"user","content":"\ud800"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("not valid Unicode", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Messages_LoneSurrogate_Returns400InAnthropicShape()
    {
        var (status, body) = await Post("v1/messages", """{"model":"anthropic/claude-haiku-4-5","max_tokens":5,"messages":[{"role":"user","content":"\ud800"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ChatStream_LoneSurrogate_Returns400WithJsonError()
    {
        var (status, body) = await Post("api/chat/stream", """{"message":"\ud800"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not valid Unicode", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ChatCompletions_ModelNameOf5000Characters_Returns400NamingModel()
    {
        var model = "openai/" + new string('m', 5000);
        var (status, body) = await Post("v1/chat/completions", $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("model", body.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Messages_DeepToolInputWithinTheOldLimit_Returns400NotAnUpstreamFailure()
    {
        var deep = string.Concat(Enumerable.Repeat("""{"k":""", 70)) + "1" + new string('}', 70);
        var (status, body) = await Post("v1/messages", $$"""
            {"model":"openai/gpt-4.1-mini","max_tokens":5,"messages":[{"role":"user","content":"w"},
             {"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{{deep}}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"ok"}]}]}
            """);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", body.GetProperty("type").GetString());
    }
}
