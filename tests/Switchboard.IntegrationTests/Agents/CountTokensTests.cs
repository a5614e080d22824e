using System.Net;
using System.Text;
using System.Text.Json;
using Switchboard.Emulator;
using Switchboard.IntegrationTests.Gateway;

namespace Switchboard.IntegrationTests.Agents;

/// <summary>
/// The token count endpoints (<c>/v1/messages/count_tokens</c>, Gemini <c>:countTokens</c>, <c>/v1/responses/input_tokens</c>)
/// answer the chosen deployment's provider's own count when it has one (Anthropic, Gemini, OpenAI), the tokenizer's
/// estimate otherwise, and say which in <c>x-switchboard-token-count</c>.
/// </summary>
public sealed class CountTokensTests : IAsyncLifetime
{
    private const string LongText = "The quick brown fox jumps over the lazy dog. ";
    private readonly EmulatorOptions _emulator = new();
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync(config =>
    {
        config["Switchboard:Providers:local:Type"] = "openai-compatible";
        config["Switchboard:Providers:local:Models:0"] = "llama-3";
        config["Switchboard:Models:counted:Targets:0"] = "anthropic/claude-sonnet-4-6";
        config["Switchboard:Models:counted:Targets:1"] = "gemini/gemini-2.5-flash";
        config["Switchboard:Providers:local:BaseUrl"] = config["Switchboard:Providers:openai:BaseUrl"] + "v1";
    }, _emulator);

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string AnthropicBody(string model) =>
        "{\"model\":\"" + model + "\",\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\",\"cache_control\":{\"type\":\"ephemeral\"}}]," +
        "\"messages\":[{\"role\":\"user\",\"content\":\"" + string.Concat(Enumerable.Repeat(LongText, 20)) + "\"}]," +
        "\"tools\":[{\"name\":\"Read\",\"description\":\"Reads a file\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}}]}";

    private async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(string path, string json, Action<HttpRequestMessage>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        headers?.Invoke(request);
        var response = await _fx.Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string Source(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-switchboard-token-count", out var values) ? string.Join(",", values) : "(none)";

    /// <summary>What the emulator answers when asked directly with the body the gateway forwarded.</summary>
    private async Task<JsonElement> AskEmulatorAsync(EmulatorRequest forwarded)
    {
        using var http = new HttpClient { BaseAddress = _fx.Emulator.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.PostAsync(forwarded.Path.TrimStart('/'), new StringContent(forwarded.Body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }

    [Fact]
    public async Task CountTokens_AnthropicUpstream_AnswersAnthropicsOwnCount_WithTheClientsBetas()
    {
        var (response, body) = await PostAsync("v1/messages/count_tokens?beta=true", AnthropicBody("claude-sonnet-4-6"),
            r => r.Headers.Add("anthropic-beta", "token-counting-2024-11-01,context-management-2025-06-27"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("provider", Source(response));
        Assert.Equal("anthropic", response.Headers.GetValues("x-switchboard-provider").Single());
        var forwarded = Assert.Single(_fx.Emulator.Requests);
        Assert.Equal("/v1/messages/count_tokens", forwarded.Path);
        Assert.Equal("token-counting-2024-11-01,context-management-2025-06-27", forwarded.Headers["anthropic-beta"]);
        using var sent = JsonDocument.Parse(forwarded.Body);
        Assert.False(sent.RootElement.TryGetProperty("max_tokens", out _), forwarded.Body); // count_tokens refuses it
        Assert.True(sent.RootElement.TryGetProperty("tools", out _), forwarded.Body);
        Assert.Equal((await AskEmulatorAsync(forwarded)).GetProperty("input_tokens").GetInt64(), body.GetProperty("input_tokens").GetInt64());
    }

    [Fact]
    public async Task CountTokens_AreRequestsOfTheKey_UnderItsRateLimit_429InAnthropicShape()
    {
        // A count may call a provider: a key limited to 2 requests a minute cannot drive a third count upstream.
        using var created = await _fx.Http.PostAsync("admin/keys", new StringContent("""{"name":"counter","rpm":2}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("key").GetString()!;
        using var client = _fx.WithKey(key);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last?.Dispose();
            last = await client.PostAsync("v1/messages/count_tokens", new StringContent(AnthropicBody("claude-sonnet-4-6"), Encoding.UTF8, "application/json"), Ct);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429], statuses);
        Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        using var error = JsonDocument.Parse(await last.Content.ReadAsStringAsync(Ct));
        Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
        Assert.Equal("rate_limit_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(2, _fx.Emulator.Requests.Count(r => r.Path == "/v1/messages/count_tokens"));
        last.Dispose();
    }

    [Fact]
    public async Task CountTokens_NoCountingEndpoint_AnswersTheEstimate_WhichDiffersFromTheProvidersCount()
    {
        var (estimated, estimate) = await PostAsync("v1/messages/count_tokens", AnthropicBody("local/llama-3"));
        var (counted, count) = await PostAsync("v1/messages/count_tokens", AnthropicBody("claude-sonnet-4-6"));

        Assert.Equal(HttpStatusCode.OK, estimated.StatusCode);
        Assert.Equal("estimate", Source(estimated));
        Assert.False(estimated.Headers.Contains("x-switchboard-provider"));
        Assert.Equal("provider", Source(counted));
        Assert.Single(_fx.Emulator.Requests); // only the Anthropic count went upstream
        var tokens = estimate.GetProperty("input_tokens").GetInt64();
        Assert.InRange(tokens, 200, 400);
        Assert.NotEqual(count.GetProperty("input_tokens").GetInt64(), tokens);
    }

    [Fact]
    public async Task CountTokens_GeminiEdge_GeminiUpstream_CountsTheWholeRequest()
    {
        var json = """
            {"contents":[{"role":"user","parts":[{"text":"List the files here, please."}]}],
             "systemInstruction":{"parts":[{"text":"You are an interactive CLI agent."}]},
             "tools":[{"functionDeclarations":[{"name":"list_directory","description":"Lists a directory.","parametersJsonSchema":{"type":"object","properties":{"path":{"type":"string"}}}}]}]}
            """;
        var (response, body) = await PostAsync("v1beta/models/gemini-2.5-flash:countTokens", json, r => r.Headers.Add("x-goog-api-key", GatewayFixture.MasterKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("provider", Source(response));
        var forwarded = Assert.Single(_fx.Emulator.Requests);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:countTokens", forwarded.Path);
        using var sent = JsonDocument.Parse(forwarded.Body);
        var whole = sent.RootElement.GetProperty("generateContentRequest");
        Assert.Equal("models/gemini-2.5-flash", whole.GetProperty("model").GetString());
        Assert.True(whole.TryGetProperty("systemInstruction", out _), forwarded.Body);
        Assert.True(whole.TryGetProperty("tools", out _), forwarded.Body);
        Assert.Equal((await AskEmulatorAsync(forwarded)).GetProperty("totalTokens").GetInt64(), body.GetProperty("totalTokens").GetInt64());
    }

    [Fact]
    public async Task InputTokens_OpenAIUpstream_AnswersOpenAIsOwnCount()
    {
        var (response, body) = await PostAsync("v1/responses/input_tokens",
            """{"model":"openai/gpt-4.1","instructions":"Be brief.","input":[{"role":"user","content":[{"type":"input_text","text":"What is the capital of France?"}]}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("provider", Source(response));
        Assert.Equal("response.input_tokens", body.GetProperty("object").GetString());
        var forwarded = Assert.Single(_fx.Emulator.Requests);
        Assert.Equal("/v1/responses/input_tokens", forwarded.Path);
        Assert.Contains("Be brief.", forwarded.Body, StringComparison.Ordinal); // the instructions, as a system item
        Assert.Equal((await AskEmulatorAsync(forwarded)).GetProperty("input_tokens").GetInt64(), body.GetProperty("input_tokens").GetInt64());
    }

    [Fact]
    public async Task CountTokens_FailingProvider_FallsBackToTheNextDeployment_ThenToTheEstimate()
    {
        _emulator.ProviderFaults["anthropic"] = "status=529";

        var (next, nextBody) = await PostAsync("v1/messages/count_tokens", AnthropicBody("counted"));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("provider", Source(next));
        Assert.Equal("gemini", next.Headers.GetValues("x-switchboard-provider").Single());
        Assert.True(nextBody.GetProperty("input_tokens").GetInt64() > 0);

        var (alone, aloneBody) = await PostAsync("v1/messages/count_tokens", AnthropicBody("claude-sonnet-4-6"));
        Assert.Equal(HttpStatusCode.OK, alone.StatusCode);
        Assert.Equal("estimate", Source(alone));
        Assert.True(aloneBody.GetProperty("input_tokens").GetInt64() > 0);
        Assert.Equal(["anthropic", "gemini", "anthropic"], _fx.Emulator.Requests.Select(r => r.Protocol));
    }

    [Theory]
    [InlineData("claude-opus-5-5")]
    [InlineData("openai/gpt-4.1")]
    [InlineData("gemini-3-pro")]
    public async Task CountTokens_AnyProvider_InputTokens_GrowWithTheRequest(string model)
    {
        var (shortResponse, shortBody) = await PostAsync("v1/messages/count_tokens?beta=true",
            $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hi"}]}""");
        var (longResponse, longBody) = await PostAsync("v1/messages/count_tokens?beta=true", AnthropicBody(model));

        Assert.Equal(HttpStatusCode.OK, shortResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, longResponse.StatusCode);
        var few = shortBody.GetProperty("input_tokens").GetInt64();
        var many = longBody.GetProperty("input_tokens").GetInt64();
        Assert.InRange(few, 1, 50);
        Assert.True(many > few + 150, $"{many} vs {few}");
        Assert.Equal("provider", Source(longResponse));
    }

    [Fact]
    public async Task CountTokens_NeedsAKey_AndAKnownModel_AndValidJson_InAnthropicShape()
    {
        using var anonymous = _fx.Anonymous();
        using var refused = await anonymous.PostAsync("v1/messages/count_tokens",
            new StringContent("""{"model":"claude-sonnet-4-6","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("authentication_error",
            JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetProperty("type").GetString());

        var (status, body) = await PostAsync("v1/messages/count_tokens", """{"model":"llama-nothing","messages":[{"role":"user","content":"Hi"}]}""");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
        Assert.Equal("not_found_error", body.GetProperty("error").GetProperty("type").GetString());

        (status, body) = await PostAsync("v1/messages/count_tokens", """{"model":"claude-sonnet-4-6","messages":"nope"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status.StatusCode);
        Assert.Equal("invalid_request_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Empty(_fx.Emulator.Requests);
    }
}
