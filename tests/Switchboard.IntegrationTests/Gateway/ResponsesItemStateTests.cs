using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>
/// Stored items beyond chaining: <c>item_reference</c> input items resolved against the caller's stored responses, failed
/// streams stored with <c>status: failed</c>, and the JSON 404 for paths Codex tries that the gateway does not serve.
/// </summary>
public sealed class ResponsesItemStateTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<JsonElement> CreateAsync(string body, HttpClient? client = null)
    {
        using var response = await (client ?? _fx.Http).PostAsync("v1/responses", Json(body), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Sse.Json(await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<string> NewKeyAsync()
    {
        using var response = await _fx.Http.PostAsJsonAsync("admin/keys", new { name = "team" }, Ct);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("key").GetString()!;
    }

    [Theory]
    [MemberData(nameof(ResponsesSdkTests.Models), MemberType = typeof(ResponsesSdkTests))]
    public async Task ItemReference_ToStoredInputAndOutputItems_ReachesTheProviderAsThoseItems(string model, string provider)
    {
        var first = await CreateAsync($$"""{"model":"{{model}}","input":"My name is Ada-7731."}""");
        var inputId = (await _fx.Http.GetFromJsonAsync<JsonElement>($"v1/responses/{first.GetProperty("id").GetString()}/input_items", Ct))
            .GetProperty("data")[0].GetProperty("id").GetString();
        var outputId = first.GetProperty("output")[0].GetProperty("id").GetString();

        var second = await CreateAsync($$"""
            {"model":"{{model}}","store":false,"input":[{"type":"item_reference","id":"{{inputId}}"},{"type":"item_reference","id":"{{outputId}}"},
             {"role":"user","content":"What is my name?"}]}
            """);

        Assert.Contains("3 messages", second.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        var sent = _fx.Emulator.Requests[^1];
        Assert.Equal(provider, sent.Protocol);
        var earlier = sent.Body.IndexOf("Ada-7731", StringComparison.Ordinal);
        var reply = sent.Body.IndexOf($"Emulated reply from {provider}", StringComparison.Ordinal);
        var question = sent.Body.IndexOf("What is my name?", StringComparison.Ordinal);
        Assert.True(earlier >= 0 && reply > earlier && question > reply, $"expected the referenced items, then the new input in: {sent.Body}");
        Assert.DoesNotContain(outputId!, sent.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ItemReference_StoredWithTheResolvedItem_SoInputItemsListItAndAChainCarriesIt()
    {
        var first = await CreateAsync("""{"model":"openai/gpt-4.1","input":"My name is Ada-7731."}""");
        var outputId = first.GetProperty("output")[0].GetProperty("id").GetString();

        var second = await CreateAsync($$"""{"model":"openai/gpt-4.1","input":[{"type":"item_reference","id":"{{outputId}}"},{"role":"user","content":"Again?"}]}""");
        var items = await _fx.Http.GetFromJsonAsync<JsonElement>($"v1/responses/{second.GetProperty("id").GetString()}/input_items?order=asc", Ct);

        var referenced = items.GetProperty("data")[0];
        Assert.Equal(("message", "assistant", outputId), (referenced.GetProperty("type").GetString(), referenced.GetProperty("role").GetString(), referenced.GetProperty("id").GetString()));
        Assert.Contains("Emulated reply from openai", referenced.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ItemReference_UnknownOrAnotherKeys_SameAnswer_400NamingTheInputIndex()
    {
        var owner = _fx.WithKey(await NewKeyAsync());
        var first = await CreateAsync("""{"model":"openai/gpt-4.1","input":"secret plan"}""", owner);
        var theirs = first.GetProperty("output")[0].GetProperty("id").GetString()!;
        var before = _fx.Emulator.Requests.Count;

        async Task<JsonElement> RefusedAsync(string id)
        {
            using var response = await _fx.Http.PostAsync("v1/responses",
                Json($$"""{"model":"openai/gpt-4.1","input":[{"role":"user","content":"hi"},{"type":"item_reference","id":"{{id}}"}]}"""), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return Sse.Json(await response.Content.ReadAsStringAsync(Ct)).GetProperty("error");
        }

        var unknown = await RefusedAsync("msg_0000000000000000000000000000000000_0");
        var other = await RefusedAsync(theirs);

        Assert.Equal("input[1].id", unknown.GetProperty("param").GetString());
        Assert.Equal(unknown.GetProperty("message").GetString()!.Replace("msg_0000000000000000000000000000000000_0", "ID", StringComparison.Ordinal),
            other.GetProperty("message").GetString()!.Replace(theirs, "ID", StringComparison.Ordinal));
        Assert.Equal((unknown.GetProperty("param").GetString(), unknown.GetProperty("code").GetString(), unknown.GetProperty("type").GetString()),
            (other.GetProperty("param").GetString(), other.GetProperty("code").GetString(), other.GetProperty("type").GetString()));
        Assert.Equal(before, _fx.Emulator.Requests.Count);
    }

    [Theory]
    [MemberData(nameof(ResponsesSdkTests.Models), MemberType = typeof(ResponsesSdkTests))]
    public async Task FailedStream_StoredAsFailed_ReadableButNotChainable(string model, string provider)
    {
        _fx.Emulator.Options.ProviderFaults[provider] = "cut-after-chunks=2;reply-tokens=40";
        List<(string Event, string Data)> frames;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/responses") { Content = Json($$"""{"model":"{{model}}","input":"hi","stream":true}""") };
            using var response = await _fx.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
            frames = await Sse.ReadAllAsync(response, Ct);
        }
        finally
        {
            _fx.Emulator.Options.ProviderFaults.TryRemove(provider, out _);
        }

        Assert.Equal("response.failed", frames[^1].Event);
        var failed = Sse.Json(frames[^1].Data).GetProperty("response");
        var id = failed.GetProperty("id").GetString();

        var stored = await _fx.Http.GetFromJsonAsync<JsonElement>($"v1/responses/{id}", Ct);
        Assert.Equal("failed", stored.GetProperty("status").GetString());
        Assert.Equal(failed.GetProperty("error").GetProperty("message").GetString(), stored.GetProperty("error").GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(stored.GetProperty("error").GetProperty("code").GetString()));

        using var chained = await _fx.Http.PostAsync("v1/responses", Json($$"""{"model":"{{model}}","input":"go on","previous_response_id":"{{id}}"}"""), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, chained.StatusCode);
        var error = Sse.Json(await chained.Content.ReadAsStringAsync(Ct)).GetProperty("error");
        Assert.Equal(("previous_response_not_found", "previous_response_id"), (error.GetProperty("code").GetString(), error.GetProperty("param").GetString()));
    }

    [Fact]
    public async Task FailedStream_StoreFalse_NothingKept()
    {
        _fx.Emulator.Options.ProviderFaults["anthropic"] = "cut-after-chunks=2;reply-tokens=40";
        List<(string Event, string Data)> frames;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/responses")
            {
                Content = Json("""{"model":"anthropic/claude-sonnet-4-6","input":"hi","stream":true,"store":false}"""),
            };
            using var response = await _fx.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
            frames = await Sse.ReadAllAsync(response, Ct);
        }
        finally
        {
            _fx.Emulator.Options.ProviderFaults.TryRemove("anthropic", out _);
        }

        var id = Sse.Json(frames[^1].Data).GetProperty("response").GetProperty("id").GetString();
        using var get = await _fx.Http.GetAsync($"v1/responses/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Theory]
    [InlineData("GET", "v1/responses/resp_0123456789abcdef0123456789abcdef?stream=true", HttpStatusCode.NotFound)]
    [InlineData("GET", "v1/responses", HttpStatusCode.NotFound)] // Codex's WebSocket attempt, before it falls back to POST
    [InlineData("POST", "v1/responses/resp_0123456789abcdef0123456789abcdef/cancel", HttpStatusCode.NotFound)]
    [InlineData("POST", "v1/conversations", HttpStatusCode.NotFound)]
    [InlineData("GET", "responses", HttpStatusCode.NotFound)]
    public async Task UnservedPaths_AnswerJsonInOpenAIsShape(string method, string path, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = Json("{}");
        }

        using var response = await _fx.Http.SendAsync(request, Ct);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = Sse.Json(await response.Content.ReadAsStringAsync(Ct)).GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }
}
