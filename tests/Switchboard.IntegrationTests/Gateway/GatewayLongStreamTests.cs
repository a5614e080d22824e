using System.Text;
using Switchboard.Emulator;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>
/// A stream that keeps flowing outlives every timeout the operator configured (attempt, first token, idle between
/// chunks) and still ends normally: none of them caps a stream while tokens arrive.
/// </summary>
public sealed class GatewayLongStreamTests
{
    [Fact]
    public async Task Stream_SlowButFlowing_OutlastsEveryConfiguredTimeout_EndsWithDone()
    {
        // 5 tokens a second for 20 tokens: about 4 s, past the 1 s attempt and first-token timeouts, with gaps of 0.2 s
        // well under the 1 s idle timeout.
        await using var fx = await GatewayFixture.StartAsync(c =>
        {
            c["Switchboard:Routing:AttemptTimeoutSeconds"] = "1";
            c["Switchboard:Routing:FirstTokenTimeoutSeconds"] = "1";
            c["Switchboard:Providers:openai:StreamIdleTimeoutSeconds"] = "1";
        }, new EmulatorOptions { TokensPerSecond = 5 });
        fx.Emulator.Options.ProviderFaults["openai"] = "reply-tokens=20";
        var started = TimeProvider.System.GetTimestamp();

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent("""{"model":"openai/gpt-4.1","stream":true,"messages":[{"role":"user","content":"hi"}]}""",
                Encoding.UTF8, "application/json"),
        };
        using var response = await fx.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var frames = await Sse.ReadAllAsync(response);
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        Assert.True(elapsed > TimeSpan.FromSeconds(2), $"the stream took {elapsed.TotalSeconds:0.0} s: too short to prove anything");
        Assert.Equal("[DONE]", frames[^1].Data);
        Assert.DoesNotContain(frames, f => f.Data.Contains("\"error\"", StringComparison.Ordinal));
        Assert.Equal("1", GatewayEndpointTests.Header(response, "x-switchboard-attempts"));
    }
}
