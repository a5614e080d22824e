using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Emulator;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// Warms the process before the real gateway is built: a throwaway gateway (its own built-in emulator as the only
/// upstream, its own SQLite ledger in a temporary folder, no logging, loopback on a free port) answers one request per
/// edge protocol (OpenAI Chat Completions, Anthropic Messages, Gemini, Responses, the original stream endpoint), streamed
/// and not, across the three provider adapters, through Kestrel and the whole pipeline; then it is stopped and its folder
/// deleted. The JIT-compiled code is the process's and stays; nothing else does. The real gateway is built afterwards with
/// its own services, so its ledger, budgets, metrics (its meter listeners start after this ends), health and latency
/// statistics, cache and dashboard never see these requests. It drives the gateway only through HTTP, as a client would.
/// </summary>
/// <remarks>
/// Safe whatever the user's configuration: the throwaway gateway reads environment variables like any gateway, so every
/// setting that reaches outside the process is overridden (ledger on a temporary SQLite file, no Redis, no OTLP
/// export), and every outgoing HTTP request of its <see cref="IHttpClientFactory"/> clients (providers, moderation,
/// webhooks) is redirected to its own emulator: a warm-up never reaches a paid provider. It never fails the start:
/// errors only leave the process less warm.
/// </remarks>
internal static partial class ProcessWarmup
{
    private static readonly string[] Providers = ["openai", "anthropic", "gemini"];

    /// <summary>The models asked for, one per provider adapter (each through the <c>provider/model</c> form).</summary>
    private static readonly string[] Models = ["openai/gpt-4o-mini", "anthropic/claude-haiku-4-5", "gemini/gemini-2.5-flash"];

    /// <summary>Runs the warm-up; says how long it took and what failed, if anything. Never throws (except for cancellation).</summary>
    public static async Task<WarmupResult> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        DirectoryInfo? folder = null;
        Exception? failure = null;
        var requests = 0;
        try
        {
            folder = Directory.CreateTempSubdirectory("switchboard-warmup-");
            await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions(), cancellationToken);
            var masterKey = "sb-warmup-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            var configFile = Path.Combine(folder.FullName, "switchboard.json");
            await File.WriteAllTextAsync(configFile, "{}", cancellationToken);
            var app = await GatewayApp.BuildAsync(new GatewayStartOptions
            {
                ConfigFile = configFile,
                Urls = "http://127.0.0.1:0",
                Overrides = Overrides(folder.FullName, emulator.BaseUrl, masterKey),
                Logging = logging => logging.ClearProviders(),
                Services = services => services.ConfigureHttpClientDefaults(http =>
                    http.AddHttpMessageHandler(() => new RedirectHandler(emulator.BaseUrl))),
            }, cancellationToken);
            await using (app)
            {
                await app.StartAsync(cancellationToken);
                try
                {
                    var address = app.Urls.First();
                    using var client = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(20) };
                    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", masterKey);
                    requests = await SendAllAsync(client, cancellationToken);
                }
                finally
                {
                    await app.StopAsync(CancellationToken.None);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = e;
        }
        finally
        {
            TryDelete(folder);
        }

        return new WarmupResult(clock.Elapsed, requests, failure);
    }

    private static Dictionary<string, string?> Overrides(string folder, Uri emulator, string masterKey)
    {
        var database = Path.Combine(folder, "warmup.db");
        var overrides = new Dictionary<string, string?>
        {
            ["Switchboard:Auth:MasterKey"] = masterKey,
            ["Switchboard:Ledger:Provider"] = "sqlite",
            ["Switchboard:Ledger:ConnectionString"] = $"Data Source={database}",
            ["Switchboard:Ledger:JournalPath"] = Path.Combine(folder, "warmup.journal"),
            ["Switchboard:Cache:Redis"] = "",
            ["Switchboard:RateLimits:Redis"] = "",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
        };
        foreach (var provider in Providers)
        {
            overrides[$"Switchboard:Providers:{provider}:Type"] = provider;
            overrides[$"Switchboard:Providers:{provider}:BaseUrl"] = provider == "openai" ? emulator + "v1" : emulator.ToString();
            overrides[$"Switchboard:Providers:{provider}:ApiKey"] = "warmup";
        }

        return overrides;
    }

    /// <summary>Sends the warm-up requests; returns how many were answered 200.</summary>
    private static async Task<int> SendAllAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var requests = Requests();
        // Two at a time on two cores or more: the JIT compiles on both (scripts/first-request.sh: 0.3 to 1 s sooner on two cores).
        var lanes = Math.Clamp(Environment.ProcessorCount, 1, 2);
        var ok = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, lanes).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests.Count)
            {
                Interlocked.Add(ref ok, await PostAsync(client, requests[i].Path, requests[i].Body, cancellationToken));
            }
        }));
        return ok;
    }

    /// <summary>
    /// Each edge protocol streamed and not, each provider adapter streamed and not (the edges take the providers in turn),
    /// the original stream endpoint, and a route name through the default routing.
    /// </summary>
    internal static List<(string Path, string Body)> Requests()
    {
        var list = new List<(string, string)>();
        var turn = 0;
        for (var edge = 0; edge < 4; edge++)
        {
            foreach (var stream in new[] { false, true })
            {
                list.Add(Request(edge, Models[turn++ % Models.Length], stream));
            }
        }

        list.Add(("api/chat/stream", """{"message":"Say hello","system_prompt":"Be brief.","task_type":"general"}"""));
        list.Add(("v1/chat/completions", """{"model":"smart","messages":[{"role":"user","content":"Say hello"}]}"""));
        return list;
    }

    private static (string Path, string Body) Request(int edge, string model, bool stream)
    {
        var s = stream ? "true" : "false";
        return edge switch
        {
            0 => ("v1/chat/completions",
                $$"""{"model":"{{model}}","stream":{{s}},"stream_options":{{(stream ? """{"include_usage":true}""" : "null")}},"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hello"}]}"""),
            1 => ("v1/messages",
                $$"""{"model":"{{model}}","max_tokens":64,"stream":{{s}},"system":"Be brief.","messages":[{"role":"user","content":"Say hello"}]}"""),
            2 => (stream ? $"v1beta/models/{model}:streamGenerateContent?alt=sse" : $"v1beta/models/{model}:generateContent",
                """{"systemInstruction":{"parts":[{"text":"Be brief."}]},"contents":[{"role":"user","parts":[{"text":"Say hello"}]}]}"""),
            _ => ("v1/responses", $$"""{"model":"{{model}}","stream":{{s}},"instructions":"Be brief.","input":"Say hello"}"""),
        };
    }

    private static async Task<int> PostAsync(HttpClient client, string path, string body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(path, content, cancellationToken);
        // Read to the end: a stream's last frames (usage, the ledger record) are written after its first bytes.
        _ = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return response.IsSuccessStatusCode ? 1 : 0;
    }

    private static void TryDelete(DirectoryInfo? folder)
    {
        try
        {
            folder?.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Sends every request of the throwaway gateway's HTTP clients to its emulator, whatever host it named.</summary>
    private sealed class RedirectHandler(Uri target) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { } uri)
            {
                request.RequestUri = new UriBuilder(uri) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "Start-up warm-up did not complete ({Error}: {Message}); the first requests pay for JIT compilation")]
    internal static partial void LogFailed(ILogger logger, string error, string message);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Start-up warm-up: {Answered} requests answered in {ElapsedMs:0} ms")]
    internal static partial void LogDone(ILogger logger, int answered, double elapsedMs);
}

/// <summary>What <see cref="ProcessWarmup.RunAsync"/> did: how long, how many requests were answered, what failed.</summary>
internal sealed record WarmupResult(TimeSpan Elapsed, int Answered, Exception? Failure)
{
    public void Log(ILogger logger)
    {
        if (Failure is { } e)
        {
            ProcessWarmup.LogFailed(logger, e.GetType().Name, e.Message);
        }
        else
        {
            ProcessWarmup.LogDone(logger, Answered, Elapsed.TotalMilliseconds);
        }
    }
}
