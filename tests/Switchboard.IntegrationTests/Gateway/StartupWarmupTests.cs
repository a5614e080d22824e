using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.IntegrationTests.Ledger;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>
/// <c>switchboard serve</c> warms itself up before it listens (requests through a throwaway gateway, issue 20 item 3); the
/// real gateway must show none of that traffic: no ledger record, no usage, no recent request, no request counted in
/// /metrics, no deployment statistics. The first real request is then recorded as usual everywhere.
/// </summary>
public sealed partial class StartupWarmupTests : IDisposable
{
    private const string MasterKey = "sb-master-warmup-test-0123456789abcdef";
    private readonly string _folder = Directory.CreateTempSubdirectory("sb-warmup-").FullName;

    [Fact(Timeout = 120_000)]
    public async Task Serve_WarmsUpWithoutATrace_AndRecordsTheFirstRealRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        var config = Path.Combine(_folder, "switchboard.json");
        // The default configuration (no provider: the built-in emulator), plus a master key for the admin endpoints.
        await File.WriteAllTextAsync(config, $$"""{ "Switchboard": { "Auth": { "MasterKey": "{{MasterKey}}" } } }""", ct);
        using var gateway = await GatewayProcess.StartAsync(config, ct);
        using var http = new HttpClient { BaseAddress = gateway.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", MasterKey);

        // The warm-up did run, and its requests were answered (else this test would prove nothing).
        var warmed = WarmupLine().Match(gateway.OutputTail);
        Assert.True(warmed.Success, $"no warm-up line in the output:\n{gateway.OutputTail}");
        Assert.True(int.Parse(warmed.Groups[1].Value, CultureInfo.InvariantCulture) >= 8, warmed.Value);
        await WaitReadyAsync(http, ct);

        // Not a trace of it.
        Assert.Equal(0, await UsageRequestsAsync(http, ct));
        Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>("admin/requests/recent", ct)).GetArrayLength());
        var metrics = await http.GetStringAsync("metrics", ct);
        Assert.Equal(0, Sum(metrics, "switchboard_requests_total"));
        Assert.Equal(0, Sum(metrics, "switchboard_attempts_total"));
        Assert.Equal(0, Sum(metrics, "gen_ai_client_operation_duration_seconds_count"));
        Assert.Equal(0, Sum(metrics, "http_server_request_duration_seconds_count", "http_route=\"/v1/"));
        Assert.Equal(0, Sum(metrics, "http_client_request_duration_seconds_count"));
        var health = await http.GetFromJsonAsync<JsonElement>("admin/health", ct);
        Assert.True(health.GetArrayLength() > 0);
        foreach (var deployment in health.EnumerateArray())
        {
            Assert.Equal("closed", deployment.GetProperty("circuit").GetString());
            Assert.Equal(0, deployment.GetProperty("requests").GetInt64());
            Assert.False(deployment.TryGetProperty("latency_ms", out _), deployment.ToString());
            Assert.False(deployment.TryGetProperty("last_error", out _), deployment.ToString());
        }

        var circuits = await http.GetFromJsonAsync<JsonElement>("admin/dashboard/circuits", ct);
        Assert.Equal(0, circuits.GetArrayLength());

        await Task.Delay(TimeSpan.FromSeconds(1), ct); // anything the warm-up had queued for the store would have landed by now
        Assert.Empty(await LedgerLoad.SqliteLedgerAsync(Path.Combine(_folder, "switchboard.db"), ct));

        // The first real request: answered, and recorded everywhere.
        using var response = await http.PostAsync("v1/chat/completions", JsonContent.Create(new
        {
            model = "smart",
            messages = new[] { new { role = "user", content = "Say hello" } },
        }), ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = response.Headers.GetValues("x-request-id").Single();
        Assert.True(response.Headers.Contains("x-switchboard-overhead-ms"));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await UsageRequestsAsync(http, ct) == 0 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100, ct);
        }

        Assert.Equal(1, await UsageRequestsAsync(http, ct));
        var recent = await http.GetFromJsonAsync<JsonElement>("admin/requests/recent", ct);
        Assert.Equal(requestId, Assert.Single(recent.EnumerateArray()).GetProperty("request_id").GetString());
        metrics = await http.GetStringAsync("metrics", ct);
        Assert.Equal(1, Sum(metrics, "switchboard_requests_total"));
        Assert.Equal(1, Sum(metrics, "http_server_request_duration_seconds_count", "http_route=\"/v1/chat/completions\""));
        health = await http.GetFromJsonAsync<JsonElement>("admin/health", ct);
        Assert.Equal(1, health.EnumerateArray().Sum(d => d.GetProperty("requests").GetInt64()));
        Assert.Single(await LedgerLoad.SqliteLedgerAsync(Path.Combine(_folder, "switchboard.db"), ct));
    }

    private static async Task WaitReadyAsync(HttpClient http, CancellationToken ct)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var ready = await http.GetAsync("readyz", ct);
            if (ready.IsSuccessStatusCode)
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"/readyz still {(int)ready.StatusCode}: {await ready.Content.ReadAsStringAsync(ct)}");
            await Task.Delay(100, ct);
        }
    }

    private static async Task<long> UsageRequestsAsync(HttpClient http, CancellationToken ct)
    {
        var usage = await http.GetFromJsonAsync<JsonElement>("admin/usage?since=1d", ct);
        return usage.GetProperty("total").GetProperty("requests").GetInt64();
    }

    /// <summary>The sum of a Prometheus metric's samples whose labels contain every given fragment (0 when absent).</summary>
    private static double Sum(string metrics, string name, params string[] labels) =>
        metrics.Split('\n')
            .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(line => labels.All(l => line.Contains(l, StringComparison.Ordinal)))
            // name{labels} value [timestamp]
            .Sum(line => double.Parse(line[(Math.Max(line.LastIndexOf('}'), name.Length - 1) + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));

    [GeneratedRegex(@"Start-up warm-up: (\d+) requests answered")]
    private static partial Regex WarmupLine();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
