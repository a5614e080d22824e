using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>/metrics after known traffic, and the one-line-per-request log.</summary>
public sealed partial class GatewayObservabilityTests
{
    [Fact]
    public async Task Metrics_AfterKnownTraffic_ShowExpectedCountersAndLabels()
    {
        // Meters are process-wide and other gateways run in parallel in this process: a route of this test's own
        // keeps its series apart (route-labelled counters exactly; the GenAI histograms, labelled by model only, at least).
        await using var fx = await GatewayFixture.StartAsync(c =>
        {
            c["Switchboard:Routing:Retry:MaxRetries"] = "0";
            c["Switchboard:Models:metrics-probe:Policy"] = "priority";
            c["Switchboard:Models:metrics-probe:Targets:0"] = "anthropic/claude-sonnet-4-6";
            c["Switchboard:Models:metrics-probe:Targets:1"] = "openai/gpt-4.1";
        });
        fx.Emulator.Options.ProviderFaults["anthropic"] = "status=529";
        var body = """{"model":"metrics-probe","messages":[{"role":"user","content":"hi"}]}""";
        for (var i = 0; i < 2; i++)
        {
            using var response = await fx.Http.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode);
        }

        var metrics = await fx.Anonymous().GetStringAsync("metrics");

        Assert.Equal(2, Value(metrics, "switchboard_requests_total", "switchboard_route=\"metrics-probe\"", "gen_ai_provider_name=\"openai\"", "switchboard_outcome=\"success\""));
        Assert.Equal(2, Value(metrics, "switchboard_attempts_total", "switchboard_route=\"metrics-probe\"", "switchboard_deployment=\"anthropic/claude-sonnet-4-6\"", "switchboard_outcome=\"error\"", "error_type=\"Overloaded\""));
        Assert.Equal(2, Value(metrics, "switchboard_fallbacks_total", "switchboard_route=\"metrics-probe\"", "switchboard_fallback_reason=\"Overloaded\""));
        Assert.True(2 <= Value(metrics, "gen_ai_client_operation_duration_seconds_count", "gen_ai_provider_name=\"openai\"", "gen_ai_request_model=\"gpt-4.1\""));
        Assert.True(Value(metrics, "gen_ai_client_token_usage_sum", "gen_ai_provider_name=\"openai\"", "gen_ai_token_type=\"output\"") > 0);
        Assert.True(Value(metrics, "switchboard_cost_USD_total", "gen_ai_request_model=\"gpt-4.1\"") > 0);
        Assert.True(2 <= Value(metrics, "switchboard_cache_requests_total")); // every request passed the cache (hit, miss or bypass)
        Assert.Matches("(?m)^switchboard_circuit_state\\{[^}]*switchboard_deployment=\"anthropic/claude-sonnet-4-6\"[^}]*\\} 0", metrics); // 2 failures < 3: closed
        Assert.Matches("(?m)^switchboard_ledger_pending(\\{[^}]*\\})? \\d+", metrics);
        Assert.Contains("http_server_request_duration_seconds", metrics, StringComparison.Ordinal); // ASP.NET Core instrumentation
        Assert.Contains("http_client_request_duration_seconds", metrics, StringComparison.Ordinal); // HttpClient instrumentation
        Assert.Contains("dotnet_gc_", metrics, StringComparison.Ordinal); // runtime metrics
    }

    [Fact]
    public async Task RequestLog_OneLinePerRequest_WithRoutingFacts()
    {
        await using var fx = await GatewayFixture.StartAsync();
        using var response = await fx.Http.PostAsync("v1/chat/completions",
            new StringContent("""{"model":"gemini/gemini-2.5-flash","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        var requestId = response.Headers.GetValues("x-request-id").First();

        var line = Assert.Single(await LogSink.Shared.MatchingAsync(l => l.Contains($"Request {requestId} key=", StringComparison.Ordinal),
            TestContext.Current.CancellationToken));

        Assert.Contains("provider=gemini", line, StringComparison.Ordinal);
        Assert.Contains("model=gemini-2.5-flash", line, StringComparison.Ordinal);
        Assert.Contains("cache=", line, StringComparison.Ordinal);
        Assert.Contains("attempts=1", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonConsoleFormat_IsSelectableByConfiguration()
    {
        await using var fx = await GatewayFixture.StartAsync(c => c["Logging:Console:FormatterName"] = "json");

        var console = fx.App.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;

        Assert.Equal(ConsoleFormatterNames.Json, console.FormatterName);
    }

    [Fact]
    public async Task Configuration_WatchesNoFile_SoLedgerWritesUnderTheWorkingDirectoryWakeNoWatcher()
    {
        // The host's defaults read appsettings.json with reload on change: a file watcher over the whole working directory,
        // recursively (one inotify watch per folder, twice), woken by every ledger and journal write beneath it.
        await using var fx = await GatewayFixture.StartAsync();

        var files = ((IConfigurationBuilder)fx.App.Configuration).Sources.OfType<FileConfigurationSource>().ToList();

        Assert.Contains(files, f => f.Path == "appsettings.json"); // still read at start
        Assert.All(files, f => Assert.False(f.ReloadOnChange, f.Path));
    }

    private static double Value(string metrics, string name, params string[] labels)
    {
        var total = 0.0;
        foreach (Match m in Sample().Matches(metrics))
        {
            if (m.Groups["name"].Value == name && labels.All(l => m.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
            {
                total += double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>[^}]*)\} (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
