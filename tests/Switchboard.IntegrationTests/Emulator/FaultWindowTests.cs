using System.Net;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Emulator;
using static Switchboard.IntegrationTests.Emulator.EmulatorTestSupport;

namespace Switchboard.IntegrationTests.Emulator;

/// <summary>Time-windowed and percentage faults: <c>after-ms</c>, <c>for-ms</c>, <c>percent</c>, on a fake clock.</summary>
public sealed class FaultWindowTests
{
    private readonly FakeTimeProvider _time = new();

    private (EmulatorOptions Options, FaultResolver Resolver) Configured(string fault)
    {
        var options = new EmulatorOptions { Fault = fault, TimeProvider = _time };
        return (options, new FaultResolver(options));
    }

    private static int? StatusOf(FaultResolver resolver) => resolver.Resolve(null, "anthropic", "claude-sonnet-4-6").Status;

    [Fact]
    public void AfterMs_BeforeTheWindowOpens_NoFault_ThenTheFaultApplies()
    {
        var (_, resolver) = Configured("status=529;after-ms=1000");

        Assert.Null(StatusOf(resolver)); // first seen now
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Null(StatusOf(resolver));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(529, StatusOf(resolver));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(529, StatusOf(resolver));
    }

    [Fact]
    public void ForMs_FaultDuringTheWindow_ThenRequestsSucceed()
    {
        var (_, resolver) = Configured("status=503;for-ms=500");

        Assert.Equal(503, StatusOf(resolver));
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(503, StatusOf(resolver));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(StatusOf(resolver));
    }

    [Fact]
    public void AfterMsAndForMs_Combine_IntoAnOutageWindow()
    {
        var (_, resolver) = Configured("reset;after-ms=200;for-ms=300");

        Assert.False(resolver.Resolve(null, "openai", null).Reset);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.True(resolver.Resolve(null, "openai", null).Reset);
        _time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.True(resolver.Resolve(null, "openai", null).Reset);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(resolver.Resolve(null, "openai", null).Reset);
    }

    [Fact]
    public void Window_StartsWhenTheSpecIsFirstSeen_NotWhenItIsConfigured()
    {
        var (_, resolver) = Configured("status=500;for-ms=100");
        _time.Advance(TimeSpan.FromSeconds(10)); // configured long ago, never requested

        Assert.Equal(500, StatusOf(resolver));
    }

    [Fact]
    public void ChangedSpec_StartsItsOwnWindow()
    {
        var (options, resolver) = Configured("status=500;for-ms=100");
        Assert.Equal(500, StatusOf(resolver));
        _time.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Null(StatusOf(resolver));

        options.Fault = "status=529;for-ms=100";

        Assert.Equal(529, StatusOf(resolver));
    }

    [Fact]
    public void ResetFaultWindows_StartsTheSameSpecAgain()
    {
        var (_, resolver) = Configured("status=500;for-ms=100");
        Assert.Equal(500, StatusOf(resolver));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Null(StatusOf(resolver));

        resolver.Reset();

        Assert.Equal(500, StatusOf(resolver));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(25, 25)]
    [InlineData(50, 50)]
    [InlineData(100, 100)]
    public void Percent_AppliesToExactlyPOfEvery100Requests(int percent, int expected)
    {
        var (_, resolver) = Configured($"status=429;retry-after=1;percent={percent}");

        var faulted = Enumerable.Range(0, 100).Count(_ => StatusOf(resolver) == 429);

        Assert.Equal(expected, faulted);
    }

    [Fact]
    public void Percent_SamePattern_OnEveryRun()
    {
        static string Pattern(FaultResolver r) => string.Concat(Enumerable.Range(0, 40).Select(_ => StatusOf(r) is null ? '.' : 'x'));
        var first = Pattern(Configured("status=500;percent=30").Resolver);
        var second = Pattern(Configured("status=500;percent=30").Resolver);

        Assert.Equal(first, second);
        Assert.Equal(12, first.Count(c => c == 'x'));
        Assert.DoesNotContain("xxx", first, StringComparison.Ordinal); // spread, not bunched at the start
    }

    [Fact]
    public void Percent_CountsOnlyRequestsInsideTheWindow()
    {
        var (_, resolver) = Configured("status=500;after-ms=100;percent=50");
        Assert.Null(StatusOf(resolver));
        Assert.Null(StatusOf(resolver));
        _time.Advance(TimeSpan.FromMilliseconds(100));

        var inside = Enumerable.Range(0, 10).Count(_ => StatusOf(resolver) == 500);

        Assert.Equal(5, inside);
    }

    [Fact]
    public void Times_WithAfterMs_CountsOnlyOnceTheWindowOpens()
    {
        var (options, resolver) = Configured("status=500;after-ms=100;times=2");
        Assert.Null(StatusOf(resolver));
        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(500, StatusOf(resolver));
        Assert.Equal(500, StatusOf(resolver));
        Assert.Null(StatusOf(resolver));
        Assert.Null(options.Fault);
    }

    [Fact]
    public void GatedProviderFault_WhenItDoesNotApply_TheGlobalFaultDoes()
    {
        var (options, resolver) = Configured("delay-ms=300");
        options.ProviderFaults["anthropic"] = "status=529;for-ms=100";

        var during = resolver.Resolve(null, "anthropic", null);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        var after = resolver.Resolve(null, "anthropic", null);

        Assert.Equal(529, during.Status);
        Assert.Null(during.DelayMs);
        Assert.Null(after.Status);
        Assert.Equal(300, after.DelayMs);
    }

    [Theory]
    [InlineData("percent=101")]
    [InlineData("percent=-1")]
    [InlineData("after-ms=soon")]
    [InlineData("for-ms=")]
    public void BadWindowValues_AreRejectedNamingTheKey(string spec)
    {
        var ex = Assert.Throws<FormatException>(() => FaultSpec.Parse("status=500;" + spec));

        Assert.Contains(spec.Split('=')[0], ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Header_ForMs_OnTheWire_529ThenServed()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = _time }, cts.Token);
        using var http = Client(host.BaseUrl);
        const string Fault = "status=529;for-ms=500";

        var (during, _) = await SendAsync(http, Post("v1/messages", AnthropicChat, Fault), cts.Token);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        var (after, body) = await SendAsync(http, Post("v1/messages", AnthropicChat, Fault), cts.Token);

        Assert.Equal((HttpStatusCode)529, during.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("message", (string?)Json(body)["type"]);
    }

    [Fact]
    public async Task ConfiguredAfterMs_OnTheWire_ServesThenFailsEveryProtocol()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(new EmulatorOptions { TimeProvider = _time, Fault = "status=503;after-ms=1000" }, cts.Token);
        using var http = Client(host.BaseUrl);

        var (before, _) = await SendAsync(http, Post("v1/chat/completions", OpenAIChat), cts.Token);
        _time.Advance(TimeSpan.FromSeconds(1));
        var (openAI, _) = await SendAsync(http, Post("v1/chat/completions", OpenAIChat), cts.Token);
        var (gemini, _) = await SendAsync(http, Post(GeminiGenerate, GeminiChat), cts.Token);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, openAI.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, gemini.StatusCode);
    }
}
