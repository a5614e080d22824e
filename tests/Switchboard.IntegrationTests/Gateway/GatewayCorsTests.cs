using System.Net;
using System.Text;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>
/// Calls from a web page: with <c>Switchboard:Gateway:CorsOrigins</c> a browser's preflight is answered and the answer's
/// routing headers are readable; by default no CORS header is sent, so browsers keep other origins out.
/// </summary>
public sealed class GatewayCorsTests
{
    private const string App = "https://app.example.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // What a browser sends before the OpenAI or Anthropic SDK's POST from a page (the SDKs add their own headers).
    private static HttpRequestMessage Preflight(string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,anthropic-version,anthropic-dangerous-direct-browser-access,x-stainless-os");
        return request;
    }

    private static HttpRequestMessage Chat(string origin) => new(HttpMethod.Post, "v1/chat/completions")
    {
        Headers = { { "Origin", origin } },
        Content = new StringContent("""{"model":"openai/gpt-4.1","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
    };

    [Fact]
    public async Task ConfiguredOrigin_PreflightAnswered_AndTheAnswersHeadersReadable_OtherOriginsGetNoGrant()
    {
        await using var fx = await GatewayFixture.StartAsync(c => c["Switchboard:Gateway:CorsOrigins:0"] = App);

        using var preflight = await fx.Http.SendAsync(Preflight("v1/messages", App), Ct);
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(App, preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var allowed = string.Join(",", preflight.Headers.GetValues("Access-Control-Allow-Headers"));
        Assert.Contains("anthropic-dangerous-direct-browser-access", allowed, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("authorization", allowed, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, fx.Emulator.RequestCount);

        using var answer = await fx.Http.SendAsync(Chat(App), Ct);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(App, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var exposed = string.Join(",", answer.Headers.GetValues("Access-Control-Expose-Headers"));
        Assert.Contains("x-request-id", exposed, StringComparison.Ordinal);
        Assert.Contains("x-switchboard-provider", exposed, StringComparison.Ordinal);

        using var stranger = await fx.Http.SendAsync(Preflight("v1/messages", "https://evil.example"), Ct);
        Assert.False(stranger.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Default_NoCorsHeaders_SoBrowsersRefuseOtherOrigins()
    {
        await using var fx = await GatewayFixture.StartAsync();

        using var preflight = await fx.Http.SendAsync(Preflight("v1/chat/completions", App), Ct);
        using var answer = await fx.Http.SendAsync(Chat(App), Ct);

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode); // not a browser: the key, not the origin, decides
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task AnyOrigin_Star_GrantsEveryOrigin()
    {
        await using var fx = await GatewayFixture.StartAsync(c => c["Switchboard:Gateway:CorsOrigins:0"] = "*");

        using var preflight = await fx.Http.SendAsync(Preflight("v1/chat/completions", "http://localhost:5173"), Ct);

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("*", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData("https://app.example.com/")]
    [InlineData("app.example.com")]
    [InlineData("https://app.example.com/chat")]
    public async Task AnOriginThatIsNotOne_FailsStartUp_NamingTheKey(string origin)
    {
        var failure = await GatewayFixture.StartFailureAsync(new() { ["Switchboard:Gateway:CorsOrigins:0"] = origin });

        Assert.Contains("Switchboard:Gateway:CorsOrigins", failure.Message, StringComparison.Ordinal);
    }
}
