using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>Every endpoint, streaming and not, through a real gateway and emulator.</summary>
public sealed class GatewayEndpointTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task ChatCompletions_NonStreaming_AnswersWithRoutingHeaders()
    {
        using var response = await _fx.Http.PostAsync("v1/chat/completions",
            Body("""{"model":"smart","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hello"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = Sse.Json(await response.Content.ReadAsStringAsync());
        Assert.Equal("chat.completion", json.GetProperty("object").GetString());
        Assert.Contains("Emulated", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.True(json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.Equal("anthropic", Header(response, "x-switchboard-provider"));
        Assert.Equal("claude-sonnet-4-6", Header(response, "x-switchboard-model"));
        Assert.Equal("1", Header(response, "x-switchboard-attempts"));
        Assert.True(decimal.Parse(Header(response, "x-switchboard-cost-usd")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.NotNull(Header(response, "x-switchboard-overhead-ms"));
        Assert.NotNull(Header(response, "x-request-id"));
    }

    [Fact]
    public async Task ChatCompletions_Streaming_EndsWithUsageThenDone()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = Body("""{"model":"gemini/gemini-2.5-flash","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Say hello"}]}"""),
        };
        using var response = await _fx.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var frames = await Sse.ReadAllAsync(response);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("[DONE]", frames[^1].Data);
        var usage = Sse.Json(frames[^2].Data);
        Assert.Equal(0, usage.GetProperty("choices").GetArrayLength());
        Assert.True(usage.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
        var text = string.Concat(frames.SkipLast(2).Select(f => Sse.Json(f.Data).GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("content", out _)).Select(d => d.GetProperty("content").GetString()));
        Assert.Contains("Emulated", text, StringComparison.Ordinal);
        Assert.Equal("gemini", Header(response, "x-switchboard-provider"));
    }

    [Fact]
    public async Task Messages_NonStreaming_AnthropicShape_FromAnyProvider()
    {
        using var response = await _fx.Http.PostAsync("v1/messages",
            Body("""{"model":"openai/gpt-4.1","max_tokens":100,"system":"Be brief.","messages":[{"role":"user","content":"Say hello"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = Sse.Json(await response.Content.ReadAsStringAsync());
        Assert.Equal("message", json.GetProperty("type").GetString());
        Assert.Equal("text", json.GetProperty("content")[0].GetProperty("type").GetString());
        Assert.Equal("end_turn", json.GetProperty("stop_reason").GetString());
        Assert.True(json.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
        Assert.Equal("openai", Header(response, "x-switchboard-provider"));
    }

    [Fact]
    public async Task Messages_Streaming_AnthropicEventSequence()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages")
        {
            Content = Body("""{"model":"smart","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Say hello"}]}"""),
        };
        using var response = await _fx.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var frames = await Sse.ReadAllAsync(response);
        var events = frames.Select(f => f.Event).ToList();

        Assert.Equal("message_start", events[0]);
        Assert.Contains("content_block_start", events);
        Assert.Contains("content_block_delta", events);
        Assert.Equal("message_delta", events[^2]);
        Assert.Equal("message_stop", events[^1]);
        Assert.All(frames, f => Assert.Equal(f.Event, Sse.Json(f.Data).GetProperty("type").GetString()));
    }

    [Fact]
    public async Task ChatStream_OriginalEndpoint_ContentFramesThenDone()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/chat/stream")
        {
            Content = Body("""{"message":"Write a haiku","system_prompt":"You are terse.","task_type":"code_generation","prefer_cost":false}"""),
        };
        using var response = await _fx.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var frames = await Sse.ReadAllAsync(response);

        var done = Sse.Json(frames[^1].Data);
        Assert.True(done.GetProperty("done").GetBoolean());
        Assert.Equal("anthropic", done.GetProperty("provider").GetString()); // code_generation prefers Anthropic
        Assert.True(done.GetProperty("usage").GetProperty("output_tokens").GetInt32() > 0);
        Assert.True(done.GetProperty("cost_usd").GetDecimal() > 0);
        Assert.Contains("Emulated", string.Concat(frames.SkipLast(1).Select(f => Sse.Json(f.Data).GetProperty("content").GetString())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Models_ListsAliasesAndCatalogModels()
    {
        var json = await _fx.Http.GetFromJsonAsync<JsonElement>("v1/models");

        Assert.Equal("list", json.GetProperty("object").GetString());
        var ids = json.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains("smart", ids);
        Assert.Contains("auto", ids);
        Assert.Contains("gpt-4.1", ids);
        Assert.Contains("anthropic/claude-sonnet-4-6", ids);
    }

    [Fact]
    public async Task TaskHeader_CodeGeneration_RoutesToAnthropic_PreferCost_ToCheapest()
    {
        using var code = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Body("""{"model":"auto","messages":[{"role":"user","content":"write code"}]}""") };
        code.Headers.Add("x-switchboard-task", "code_generation");
        using var codeResponse = await _fx.Http.SendAsync(code);
        using var cheap = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Body("""{"model":"auto","messages":[{"role":"user","content":"hi"}]}""") };
        cheap.Headers.Add("x-switchboard-prefer", "cost");
        using var cheapResponse = await _fx.Http.SendAsync(cheap);

        Assert.Equal("anthropic", Header(codeResponse, "x-switchboard-provider"));
        Assert.Equal("gpt-4.1-mini", Header(cheapResponse, "x-switchboard-model")); // cheapest at 512 expected output tokens
    }

    [Fact]
    public async Task Operations_HealthReadyAndOpenApi()
    {
        using var anonymous = _fx.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("healthz")).StatusCode);
        var ready = await anonymous.GetFromJsonAsync<JsonElement>("readyz");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        var openapi = await anonymous.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/v1/chat/completions", out _));
    }

    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.First() : null;
}
