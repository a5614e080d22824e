namespace Switchboard.IntegrationTests.Chaos;

/// <summary>
/// The chaos suite (issue 14, item 4): a cold gateway with default routing settings in front of three emulators, one per
/// provider, under steady concurrent load (2,400 requests, 16 in flight, streaming and not, /v1/chat/completions and
/// /v1/messages, model <c>auto</c> with <c>code_generation</c> and <c>general</c>) while the faults change phase by phase.
/// It fails unless every request succeeds whenever at least one provider is healthy (a stream cut after its first
/// content may end with an error frame where cuts are injected), and every request gets a clean 502/503 naming every
/// provider when none is. Figures go to the test output and to <c>chaos-report.md</c> beside the test assembly.
/// Bounded: loopback only, 20 s per request, 120 s for the whole run; it stops the servers it started.
/// </summary>
public sealed class ChaosSuiteTests(ITestOutputHelper output)
{
    private const int Concurrency = 16;

    [Fact]
    public async Task ChaosRun_ColdGateway_ChangingFaults_AllSucceedWhileAnyProviderIsHealthy_Clean503WhenNone()
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(120));
        var ct = bound.Token;
        await using var gw = await ChaosGateway.StartAsync();
        var run = new ChaosRun(gw, Concurrency);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watcher = run.WatchBreakersAsync(watching.Token);

        // (a) From the very first request, the provider code_generation prefers is overloaded. The first requests come
        //     one at a time, as a new user's would: under concurrency the breaker opens within a few calls and hides
        //     what the first request sees.
        gw.Anthropic.Options.Fault = "status=529";
        await run.RunPhaseAsync(new("a0. anthropic 529, cold, one at a time", "anthropic 529 on every request", 16, true, false, Concurrency: 1), ct);
        await run.RunPhaseAsync(new("a. anthropic 529", "anthropic 529 on every request", 464, true, false), ct);

        // (b) Two of three down: Anthropic still 529, Gemini refuses connections (its port is closed).
        await gw.Gemini.RefuseConnectionsAsync();
        await run.RunPhaseAsync(new("b. two of three down", "anthropic 529; gemini connection refused", 480, true, false), ct);

        // (c1) Recovery with storms: Anthropic's outage window ends by itself; Gemini 429 storm with Retry-After;
        //      OpenAI latency spikes and a few mid-stream cuts after first content.
        await gw.Gemini.RestoreAsync();
        gw.Anthropic.Options.Fault = "status=529;for-ms=1500";
        gw.Gemini.Options.Fault = "status=429;retry-after=1;percent=50";
        gw.OpenAI.Options.ProviderFaults["openai"] = "delay-ms=300;percent=10";
        gw.OpenAI.Options.Fault = "cut-after-chunks=2;reply-tokens=24;percent=5";
        await run.RunPhaseAsync(new("c1. storms", "anthropic 529 for 1.5 s; gemini 429 (retry-after 1 s) on 50 %; openai +300 ms on 10 %, cut after 2 chunks on 5 %", 400, true, true), ct);

        // (c2) Resets, 5xx and cuts on a share of two providers' requests; the third is healthy but slow at times. (With
        //      5xx on a share of every provider's requests, none is healthy: about 1 request in 400 then meets four
        //      failures in a row and gets the clean 503, which the contract allows when no provider is healthy.)
        gw.Anthropic.Options.ProviderFaults["anthropic"] = "reset;percent=25";
        gw.Anthropic.Options.Fault = "cut-after-chunks=1;percent=10";
        gw.Gemini.Options.ProviderFaults["gemini"] = "status=503;percent=30";
        gw.Gemini.Options.Fault = "delay-ms=250;percent=10";
        gw.OpenAI.Options.ProviderFaults["openai"] = "delay-ms=200;percent=10";
        gw.OpenAI.Options.Fault = "cut-after-chunks=2;reply-tokens=24;percent=5";
        await run.RunPhaseAsync(new("c2. resets, 5xx, cuts", "anthropic reset 25 %, cut 10 %; gemini 503 30 %, +250 ms 10 %; openai +200 ms 10 %, cut 5 %", 400, true, true), ct);

        // (c3) Rotating outage windows: Anthropic down for the first second, Gemini resets during the next second,
        //      while OpenAI stays up with latency spikes and cuts.
        ClearFaults(gw);
        gw.Anthropic.Options.Fault = "status=503;for-ms=1000";
        gw.Gemini.Options.Fault = "reset;after-ms=1000;for-ms=1000";
        gw.OpenAI.Options.ProviderFaults["openai"] = "delay-ms=300;percent=5";
        gw.OpenAI.Options.Fault = "cut-after-chunks=3;reply-tokens=24;percent=5";
        await run.RunPhaseAsync(new("c3. rotating outages", "anthropic 503 for 1 s, then gemini resets for 1 s; openai +300 ms 5 %, cut 5 %", 400, true, true), ct);

        // (d) All three down: every request must get one clear 502/503 that lists the attempts.
        ClearFaults(gw);
        gw.Anthropic.Options.Fault = "status=529";
        gw.OpenAI.Options.Fault = "status=503";
        await gw.Gemini.RefuseConnectionsAsync();
        await run.RunPhaseAsync(new("d. all down", "anthropic 529; openai 503; gemini connection refused", 240, false, false), ct);

        await watching.CancelAsync();
        await watcher;
        var report = ChaosReport.Markdown(run, gw.Attempts);
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "chaos-report.md"), report, CancellationToken.None);

        var violations = ChaosReport.Violations(run);
        Assert.True(run.Outcomes.Count >= 2000, $"only {run.Outcomes.Count} requests ran");
        Assert.True(violations.Count == 0,
            $"{violations.Count} of {run.Outcomes.Count} requests broke the contract; first ones:\n{string.Join("\n", violations.Take(12))}\n\n{report}");
    }

    private static void ClearFaults(ChaosGateway gw)
    {
        foreach (var upstream in gw.Upstreams)
        {
            upstream.Options.Fault = null;
            upstream.Options.ProviderFaults.Clear();
        }
    }
}
