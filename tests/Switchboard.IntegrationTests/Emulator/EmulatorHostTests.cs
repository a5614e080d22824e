using Microsoft.Extensions.Configuration;
using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Emulator;
using static Switchboard.IntegrationTests.Emulator.EmulatorTestSupport;

namespace Switchboard.IntegrationTests.Emulator;

/// <summary>Host surface: listings, health, Azure path, validation, request log, counters and reply rules.</summary>
public sealed class EmulatorHostTests
{
    [Fact]
    public async Task Host_WatchesNoConfigurationFile()
    {
        // The gateway starts this host in process when no provider key is set: its defaults watched the working directory
        // recursively for appsettings.json, woken by every ledger write beneath it.
        await using var emulator = await EmulatorHost.StartAsync();

        var files = ((IConfigurationBuilder)emulator.Configuration).Sources.OfType<FileConfigurationSource>().ToList();

        Assert.All(files, f => Assert.False(f.ReloadOnChange, f.Path));
    }

    [Fact]
    public async Task Models_ListShapeFollowsTheCallersProtocol()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);

        var openAI = Json(await http.GetStringAsync(new Uri("v1/models", UriKind.Relative), cts.Token));
        Assert.Equal("list", (string?)openAI["object"]);
        Assert.All(openAI["data"]!.AsArray(), m => Assert.Equal("model", (string?)m!["object"]));
        Assert.Contains(openAI["data"]!.AsArray(), m => (string?)m!["id"] == "gpt-4o-mini");

        using var anthropicRequest = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        anthropicRequest.Headers.Add("anthropic-version", "2023-06-01");
        var (_, anthropicText) = await SendAsync(http, anthropicRequest, cts.Token);
        var anthropic = Json(anthropicText);
        Assert.False((bool)anthropic["has_more"]!);
        Assert.All(anthropic["data"]!.AsArray(), m => Assert.Equal("model", (string?)m!["type"]));

        var gemini = Json(await http.GetStringAsync(new Uri("v1beta/models", UriKind.Relative), cts.Token));
        Assert.All(gemini["models"]!.AsArray(), m => Assert.StartsWith("models/", (string?)m!["name"], StringComparison.Ordinal));
        Assert.Equal(0, host.RequestCount);
    }

    [Fact]
    public async Task Healthz_IsOk()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);

        using var response = await http.GetAsync(new Uri("healthz", UriKind.Relative), cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/$", host.BaseUrl.ToString());
    }

    [Fact]
    public async Task AzureDeploymentPath_IsOpenAIWithTheDeploymentAsModel()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);

        var (response, text) = await SendAsync(http, Post("openai/deployments/my-gpt/chat/completions?api-version=2024-10-21", OpenAIChat, keyHeader: "api-key"), cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("my-gpt", (string?)Json(text)["model"]);
        Assert.Equal(1, host.CountFor("openai"));
    }

    [Theory]
    [InlineData("v1/chat/completions", "{not json", "invalid_request_error")]
    [InlineData("v1/chat/completions", """{"model":"gpt-4o"}""", "messages")]
    [InlineData("v1/messages", """{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"hi"}]}""", "max_tokens: Field required")]
    [InlineData(GeminiGenerate, """{"contents":[]}""", "INVALID_ARGUMENT")]
    public async Task InvalidBodies_Get400InTheProvidersShape(string path, string body, string expected)
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);

        var (response, text) = await SendAsync(http, Post(path, body), cts.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_AreRecordedWithoutCredentials_AndCountersReset()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);

        await SendAsync(http, Post("v1/chat/completions", OpenAIChat, keyHeader: "Authorization"), cts.Token);
        await SendAsync(http, Post("v1/messages", AnthropicChat), cts.Token);
        await SendAsync(http, Post(GeminiGenerate, GeminiChat, keyHeader: "x-goog-api-key"), cts.Token);

        Assert.Equal(3, host.RequestCount);
        Assert.Equal([1, 1, 1], new[] { host.CountFor("openai"), host.CountFor("anthropic"), host.CountFor("gemini") });
        Assert.Equal(["openai", "anthropic", "gemini"], host.Requests.Select(r => r.Protocol));
        Assert.Equal(["gpt-4o-mini", "claude-sonnet-4-6", "gemini-2.5-flash"], host.Requests.Select(r => r.Model));
        Assert.Equal(OpenAIChat, host.Requests[0].Body);
        Assert.Equal("/v1/messages", host.Requests[1].Path);
        Assert.All(host.Requests, r =>
        {
            Assert.False(r.Headers.ContainsKey("Authorization"));
            Assert.False(r.Headers.ContainsKey("x-api-key"));
            Assert.False(r.Headers.ContainsKey("x-goog-api-key"));
            Assert.True(r.Headers.ContainsKey("Content-Type"));
        });

        host.ResetCounters();
        Assert.Equal(0, host.RequestCount);
        Assert.Empty(host.Requests);
    }

    [Fact]
    public async Task RequiredApiKey_RejectsOtherKeysWithTheProvidersAuthError()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(new EmulatorOptions { RequiredApiKey = "good" }, cts.Token);
        using var http = Client(host.BaseUrl);

        var (bad, badText) = await SendAsync(http, Post("v1/chat/completions", OpenAIChat, apiKey: "bad", keyHeader: "Authorization"), cts.Token);
        var (good, _) = await SendAsync(http, Post("v1/messages", AnthropicChat, apiKey: "good"), cts.Token);
        var (anthropicBad, anthropicText) = await SendAsync(http, Post("v1/messages", AnthropicChat, apiKey: null), cts.Token);

        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal("invalid_api_key", (string?)Json(badText)["error"]!["code"]);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anthropicBad.StatusCode);
        Assert.Equal("authentication_error", (string?)Json(anthropicText)["error"]!["type"]);
    }

    [Fact]
    public async Task OpenAI_MaxTokensStopAndJsonMode_AreHonoured()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);

        var limited = Json((await SendAsync(http, Post("v1/chat/completions", """{"model":"gpt-4o","max_completion_tokens":4,"messages":[{"role":"user","content":"hi"}]}"""), cts.Token)).Body);
        Assert.Equal("length", (string?)limited["choices"]![0]!["finish_reason"]);
        Assert.Equal(4, (int)limited["usage"]!["completion_tokens"]!);

        var stopped = Json((await SendAsync(http, Post("v1/chat/completions", """{"model":"gpt-4o","stop":["STOPHERE"],"messages":[{"role":"user","content":"say STOPHERE now"}]}"""), cts.Token)).Body);
        Assert.Equal("stop", (string?)stopped["choices"]![0]!["finish_reason"]);
        Assert.EndsWith("last user text \"say ", (string?)stopped["choices"]![0]!["message"]!["content"], StringComparison.Ordinal);

        var json = Json((await SendAsync(http, Post("v1/chat/completions", """{"model":"gpt-4o","response_format":{"type":"json_object"},"messages":[{"role":"user","content":"json"}]}"""), cts.Token)).Body);
        var content = JsonNode.Parse((string)json["choices"]![0]!["message"]!["content"]!)!;
        Assert.True((bool)content["emulated"]!);
    }

    [Fact]
    public async Task ReplyTokens_SetsTheStreamLength()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);

        var (_, text) = await SendAsync(http, Post("v1/chat/completions", OpenAIStream, "reply-tokens=200"), cts.Token);

        var events = DataEvents(text);
        Assert.Equal(200, (int)events[^1]["usage"]!["completion_tokens"]!);
        Assert.Equal(200, events.Count(e => e["choices"] is JsonArray { Count: > 0 } c && (string?)c[0]!["delta"]!["content"] is { Length: > 0 }));
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolResultAsLastMessage_IsMentionedInTheReply()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);
        var body = """
            {"model":"claude-haiku-4-5","max_tokens":100,"messages":[
              {"role":"user","content":"weather?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18 degrees"}]}]}
            """;

        var (_, text) = await SendAsync(http, Post("v1/messages", body), cts.Token);

        Assert.Contains("received tool result \"toolu_1: 18 degrees\"", (string?)Json(text)["content"]![0]!["text"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnthropicCountTokens_ReturnsInputTokens()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);

        var (response, text) = await SendAsync(http, Post("v1/messages/count_tokens", """{"model":"claude-haiku-4-5","messages":[{"role":"user","content":"hello there"}]}"""), cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange((int)Json(text)["input_tokens"]!, 3, 20);
    }

    [Fact]
    public async Task Latency_TimeToFirstTokenAndPacing_AreApplied()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(new EmulatorOptions { TimeToFirstTokenMs = 300, TokensPerSecond = 100 }, cts.Token);
        using var http = Client(host.BaseUrl);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await SendAsync(http, Post("v1/chat/completions", OpenAIStream, "reply-tokens=20"), cts.Token);

        Assert.True(watch.ElapsedMilliseconds >= 300 + 150, $"took {watch.ElapsedMilliseconds} ms");
    }
}
