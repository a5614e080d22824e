using System.Net;
using System.Text;
using System.Text.Json;
using Switchboard.IntegrationTests.Gateway;

namespace Switchboard.IntegrationTests.Chaos;

/// <summary>
/// Failover that holds from the very first request of a cold gateway with default routing settings (issue 14), one
/// emulator per provider. A provider that refuses connections is one whose port is closed (<see cref="ChaosUpstream.ClosedPortUrl"/>).
/// </summary>
public sealed class ColdGatewayFailoverTests
{
    private static readonly ChaosShape s_chatCode = new("chat code", false, false, "code_generation");
    private static readonly ChaosShape s_chatCodeStream = new("chat code stream", false, true, "code_generation");
    private static readonly ChaosShape s_messagesCode = new("messages code", true, false, "code_generation");
    private static readonly ChaosShape s_messagesCodeStream = new("messages code stream", true, true, "code_generation");

    private static async Task<ChaosOutcome> FirstRequest(ChaosGateway gw, ChaosShape shape) =>
        await ChaosClient.SendAsync(gw.Http, shape, 1, "first", TestContext.Current.CancellationToken);

    private static void AssertSucceededElsewhere(ChaosOutcome outcome, params string[] down)
    {
        Assert.True(outcome.Verdict == ChaosVerdict.Succeeded, $"{outcome.Verdict}, HTTP {outcome.Status}: {outcome.Detail}");
        Assert.DoesNotContain(outcome.Provider, down);
    }

    [Fact]
    public async Task ChatCompletions_ColdGateway_PreferredProviderOverloaded_FirstRequestSucceedsElsewhere()
    {
        await using var gw = await ChaosGateway.StartAsync();
        gw.Anthropic.Options.Fault = "status=529";

        AssertSucceededElsewhere(await FirstRequest(gw, s_chatCode), "anthropic");
    }

    [Fact]
    public async Task Stream_ColdGateway_PreferredProviderOverloaded_NoErrorFrame()
    {
        await using var gw = await ChaosGateway.StartAsync();
        gw.Anthropic.Options.Fault = "status=529";

        AssertSucceededElsewhere(await FirstRequest(gw, s_chatCodeStream), "anthropic");
    }

    [Fact]
    public async Task Messages_ColdGateway_PreferredProviderOverloaded_FirstRequestSucceedsElsewhere()
    {
        await using var gw = await ChaosGateway.StartAsync();
        gw.Anthropic.Options.Fault = "status=529";

        AssertSucceededElsewhere(await FirstRequest(gw, s_messagesCode), "anthropic");
    }

    [Fact]
    public async Task ChatCompletions_ColdGateway_TwoOfThreeProvidersDown_FirstRequestSucceeds()
    {
        await using var gw = await ChaosGateway.StartAsync("gemini");
        gw.Anthropic.Options.Fault = "status=529";

        AssertSucceededElsewhere(await FirstRequest(gw, s_chatCode), "anthropic", "gemini");
    }

    [Fact]
    public async Task Stream_ColdGateway_TwoOfThreeProvidersDown_NoErrorFrame()
    {
        await using var gw = await ChaosGateway.StartAsync("gemini");
        gw.Anthropic.Options.Fault = "status=529";

        AssertSucceededElsewhere(await FirstRequest(gw, s_chatCodeStream), "anthropic", "gemini");
        AssertSucceededElsewhere(await ChaosClient.SendAsync(gw.Http, s_messagesCodeStream, 2, "second", TestContext.Current.CancellationToken), "anthropic", "gemini");
    }

    [Fact]
    public async Task Stream_ColdGateway_PreferredProviderResetsBeforeFirstChunk_FailoverIsInvisible()
    {
        await using var gw = await ChaosGateway.StartAsync();
        gw.Anthropic.Options.Fault = "reset";

        AssertSucceededElsewhere(await FirstRequest(gw, s_messagesCodeStream), "anthropic");
    }

    [Fact]
    public async Task ChatCompletions_ColdGateway_PreferredProviderOverloaded_SecondAttemptIsAnotherProvider()
    {
        await using var gw = await ChaosGateway.StartAsync();
        gw.Anthropic.Options.Fault = "status=529";

        await FirstRequest(gw, s_chatCode);

        var attempts = gw.Attempts.OrderBy(a => a.AttemptNumber).ToList();
        Assert.True(attempts.Count >= 2, $"expected a fallback, got {attempts.Count} attempt(s)");
        Assert.Equal("anthropic", attempts[0].Deployment.Provider);
        Assert.NotEqual("anthropic", attempts[1].Deployment.Provider);
    }

    [Fact]
    public async Task ChatCompletions_ColdGateway_AllProvidersDown_EachProviderTriedOnceBeforeAnyTwice()
    {
        await using var gw = await ChaosGateway.StartAsync("gemini");
        gw.Anthropic.Options.Fault = "status=529";
        gw.OpenAI.Options.Fault = "status=503";

        var outcome = await FirstRequest(gw, s_chatCode);

        Assert.True(outcome.Verdict == ChaosVerdict.CleanFailure, $"{outcome.Verdict}, HTTP {outcome.Status}: {outcome.Detail}");
        var providers = gw.Attempts.OrderBy(a => a.AttemptNumber).Select(a => a.Deployment.Provider).ToList();
        Assert.True(providers.Count >= 3, $"attempts: {string.Join(", ", providers)}");
        Assert.Equal(["anthropic", "gemini", "openai"], providers.Take(3).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Messages_UpstreamModelNotFound_Returns404ModelNotFound_WithoutFailover()
    {
        await using var gw = await ChaosGateway.StartAsync();
        gw.Anthropic.Options.Fault = "error=not_found";

        using var response = await Post(gw, "v1/messages", """{"model":"anthropic/claude-sonnet-4-6","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}""");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("error", body.GetProperty("type").GetString());
        Assert.Equal("not_found_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(0, gw.OpenAI.RequestCount + gw.Gemini.RequestCount);
    }

    [Fact]
    public async Task ChatCompletions_UpstreamModelNotFound_Returns404ModelNotFound()
    {
        await using var gw = await ChaosGateway.StartAsync();
        gw.OpenAI.Options.Fault = "error=not_found";

        using var response = await Post(gw, "v1/chat/completions", """{"model":"openai/gpt-4.1","messages":[{"role":"user","content":"hi"}]}""");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model_not_found", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ToolLoop_AutoChoice_CallToolOnTheEmulator_RunsEndToEndThroughTheGateway()
    {
        await using var gw = await ChaosGateway.StartAsync();
        gw.OpenAI.Options.Fault = "call-tool=get_weather";
        const string Tools = """
            "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],"tool_choice":"auto"
            """;

        using var first = await Post(gw, "v1/chat/completions",
            "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]," + Tools + "}");
        var call = JsonDocument.Parse(await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement
            .GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls")[0];
        var id = call.GetProperty("id").GetString();
        var arguments = call.GetProperty("function").GetProperty("arguments").GetString();
        using var second = await Post(gw, "v1/chat/completions",
            "{\"model\":\"openai/gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
            + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"" + id + "\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":" + JsonSerializer.Serialize(arguments) + "}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"" + id + "\",\"content\":\"18 degrees\"}]," + Tools + "}");
        var answer = JsonDocument.Parse(await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("choices")[0];

        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("stop", answer.GetProperty("finish_reason").GetString());
        Assert.Contains("18 degrees", answer.GetProperty("message").GetProperty("content").GetString(), StringComparison.Ordinal);
        var forwarded = JsonDocument.Parse(gw.OpenAI.Requests[0].Body).RootElement; // what the gateway sent upstream
        Assert.Equal("auto", forwarded.GetProperty("tool_choice").GetString());
    }

    private static Task<HttpResponseMessage> Post(ChaosGateway gw, string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-switchboard-cache", "no-store");
        return gw.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
