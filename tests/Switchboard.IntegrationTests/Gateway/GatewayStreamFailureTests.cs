using System.Text;
using Switchboard.Chat;
using Switchboard.Emulator;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>Broken streams never look like success; failures before the first chunk are invisible; fallback shows in headers.</summary>
public sealed class GatewayStreamFailureTests
{
    private static HttpRequestMessage Stream(string path, string body) =>
        new(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    [Fact]
    public async Task OpenAI_CutAfterChunks_ErrorChunkAndNoDone()
    {
        await using var fx = await GatewayFixture.StartAsync();
        fx.Emulator.Options.ProviderFaults["openai"] = "cut-after-chunks=3;reply-tokens=40";

        using var response = await fx.Http.SendAsync(Stream("v1/chat/completions",
            """{"model":"openai/gpt-4.1","stream":true,"messages":[{"role":"user","content":"hi"}]}"""), HttpCompletionOption.ResponseHeadersRead);
        var frames = await Sse.ReadAllAsync(response);

        Assert.DoesNotContain(frames, f => f.Data == "[DONE]");
        Assert.True(Sse.Json(frames[^1].Data).TryGetProperty("error", out var error));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Contains(frames, f => f.Data.Contains("\"content\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Anthropic_InStreamOverloaded_ErrorEventAndNoMessageStop()
    {
        await using var fx = await GatewayFixture.StartAsync();
        fx.Emulator.Options.ProviderFaults["anthropic"] = "error-after-chunks=2;reply-tokens=40";

        using var response = await fx.Http.SendAsync(Stream("v1/messages",
            """{"model":"anthropic/claude-sonnet-4-6","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]}"""),
            HttpCompletionOption.ResponseHeadersRead);
        var frames = await Sse.ReadAllAsync(response);

        Assert.DoesNotContain(frames, f => f.Event == "message_stop");
        Assert.Equal("error", frames[^1].Event);
        Assert.Equal("error", Sse.Json(frames[^1].Data).GetProperty("type").GetString());
    }

    [Fact]
    public async Task ChatStream_CutAfterChunks_ErrorFrameAndNoDone()
    {
        await using var fx = await GatewayFixture.StartAsync();
        fx.Emulator.Options.ProviderFaults["gemini"] = "cut-after-chunks=2;reply-tokens=40";

        using var response = await fx.Http.SendAsync(Stream("api/chat/stream",
            """{"message":"hi","model":"gemini/gemini-2.5-flash"}"""), HttpCompletionOption.ResponseHeadersRead);
        var frames = await Sse.ReadAllAsync(response);

        Assert.DoesNotContain(frames, f => f.Data.Contains("\"done\"", StringComparison.Ordinal));
        Assert.True(Sse.Json(frames[^1].Data).TryGetProperty("error", out _));
    }

    [Fact]
    public async Task FailureBeforeFirstChunk_IsInvisible_AndFallbackShowsInHeaders()
    {
        await using var fx = await GatewayFixture.StartAsync();
        fx.Emulator.Options.ProviderFaults["anthropic"] = "status=529";

        using var response = await fx.Http.SendAsync(Stream("v1/chat/completions",
            """{"model":"smart","stream":true,"messages":[{"role":"user","content":"hi"}]}"""), HttpCompletionOption.ResponseHeadersRead);
        var frames = await Sse.ReadAllAsync(response);

        Assert.Equal("[DONE]", frames[^1].Data);
        Assert.DoesNotContain(frames, f => f.Data.Contains("\"error\"", StringComparison.Ordinal));
        Assert.Equal("openai", GatewayEndpointTests.Header(response, "x-switchboard-provider"));
        Assert.NotEqual("1", GatewayEndpointTests.Header(response, "x-switchboard-attempts"));
    }

    [Fact]
    public async Task NonStreaming_OneProviderDown_FallbackVisibleInHeaders()
    {
        await using var fx = await GatewayFixture.StartAsync();
        fx.Emulator.Options.ProviderFaults["anthropic"] = "status=529";

        using var response = await fx.Http.PostAsync("v1/chat/completions",
            new StringContent("""{"model":"smart","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("openai", GatewayEndpointTests.Header(response, "x-switchboard-provider"));
        Assert.Equal("gpt-4.1", GatewayEndpointTests.Header(response, "x-switchboard-model"));
        Assert.True(int.Parse(GatewayEndpointTests.Header(response, "x-switchboard-attempts")!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
    }

    [Fact]
    public async Task ClientDisconnectsMidStream_UpstreamIsCancelled()
    {
        await using var fx = await GatewayFixture.StartAsync(emulatorOptions: new EmulatorOptions { TokensPerSecond = 20 });
        fx.Emulator.Options.ProviderFaults["openai"] = "reply-tokens=400"; // 20 s at 20 tokens/s

        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            using var response = await fx.Http.SendAsync(Stream("v1/chat/completions",
                """{"model":"openai/gpt-4.1","stream":true,"messages":[{"role":"user","content":"hi"}]}"""),
                HttpCompletionOption.ResponseHeadersRead, cts.Token);
            await using var body = await response.Content.ReadAsStreamAsync(cts.Token);
            var buffer = new byte[256];
            Assert.True(await body.ReadAsync(buffer, cts.Token) > 0);
        } // disposing the response aborts the connection

        AttemptRecord? attempt = null;
        for (var i = 0; i < 100 && attempt is null; i++)
        {
            await Task.Delay(100);
            lock (fx.Attempts)
            {
                attempt = fx.Attempts.FirstOrDefault();
            }
        }

        Assert.NotNull(attempt);
        Assert.Equal(AttemptOutcome.Cancelled, attempt.Outcome);
        Assert.True(attempt.Duration < TimeSpan.FromSeconds(15), "the upstream stream should stop soon after the client left");
    }
}
