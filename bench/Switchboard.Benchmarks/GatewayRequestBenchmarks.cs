using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Caching;
using Switchboard.Chat;
using Switchboard.Gateway.Edges.OpenAI;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.Http;
using Switchboard.Guardrails;
using Switchboard.Hosting;
using Switchboard.Ledger;
using Switchboard.Policy;
using Switchboard.Routing;
using Switchboard.Budgets;

namespace Switchboard.Benchmarks;

/// <summary>
/// One non-streaming OpenAI chat request end to end through the gateway's edge (<see cref="ChatHandler"/>: auth with the
/// master key, parse, the whole pipeline <c>AddSwitchboard</c> builds, write the answer), built by the real
/// <see cref="GatewayApp"/> from the default configuration (three providers, a master key, the SQLite ledger with its
/// journal, Information logging through the redacting logger, default guardrails, the cache consulted and bypassed,
/// OpenTelemetry's meter listener). The providers' HTTP handler is a stub answering a canned OpenAI body at once, and the
/// request is a <see cref="DefaultHttpContext"/>, so Kestrel, sockets and HttpClient's transport are not measured: this
/// is Switchboard's own cost. The log sink formats every line and drops it (the console's I/O is not measured).
/// Each variant takes one layer away, so the difference to <see cref="Layers.Default"/> is that layer's cost.
/// <code>dotnet run -c Release --project bench/Switchboard.Benchmarks -- --filter '*GatewayRequest*' --job short</code>
/// </summary>
[MemoryDiagnoser]
public class GatewayRequestBenchmarks
{
    public enum Layers
    {
        /// <summary>The default configuration.</summary>
        Default,
        /// <summary>Logging at Warning: no per-request line.</summary>
        LogWarning,
        /// <summary>Every guard off (the default has prompt injection on <c>flag</c>).</summary>
        GuardrailsOff,
        /// <summary>No ledger layer and no ledger attempt observer.</summary>
        NoLedger,
        /// <summary><c>Switchboard:Cache:Enabled</c> false.</summary>
        NoCache,
        /// <summary>No OpenTelemetry meter provider (nobody listens to the instruments).</summary>
        NoTelemetry,
        /// <summary>All of the above off: the edge, auth, caller policy, budgets and the router.</summary>
        RouterOnly,
    }

    private const string MasterKey = "bench-master-key-0123456789abcdef";

    private readonly byte[] _body = Encoding.UTF8.GetBytes(Samples.OpenAIBody);
    private WebApplication _app = null!;
    private ChatHandler _handler = null!;
    private List<IHostedService> _started = [];
    private string _folder = null!;

    [Params(Layers.Default, Layers.LogWarning, Layers.GuardrailsOff, Layers.NoLedger, Layers.NoCache, Layers.NoTelemetry, Layers.RouterOnly)]
    public Layers Variant { get; set; }

    private bool Off(Layers layer) => Variant == layer || Variant == Layers.RouterOnly;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _folder = Directory.CreateTempSubdirectory("sb-bench-").FullName;
        var config = Path.Combine(_folder, "switchboard.json");
        await File.WriteAllTextAsync(config, $$"""
            { "Switchboard": {
              "Providers": {
                "openai": { "Type": "openai", "BaseUrl": "http://upstream.invalid/v1", "ApiKey": "sk-bench-not-a-real-key-0001" },
                "anthropic": { "Type": "anthropic", "BaseUrl": "http://upstream.invalid/", "ApiKey": "bench-not-a-real-key" },
                "gemini": { "Type": "gemini", "BaseUrl": "http://upstream.invalid/", "ApiKey": "gemini-bench-not-a-real-key" } },
              "Auth": { "MasterKey": "{{MasterKey}}" }
              {{(Off(Layers.GuardrailsOff) ? """, "Guardrails": { "PromptInjection": { "Action": "off" } }""" : "")}}
              {{(Off(Layers.NoCache) ? """, "Cache": { "Enabled": false }""" : "")}} } }
            """);
        _app = await GatewayApp.BuildAsync(new GatewayStartOptions
        {
            ConfigFile = config,
            Urls = "http://127.0.0.1:0",
            Logging = logging =>
            {
                logging.ClearProviders();
                logging.AddProvider(new FormattingSinkProvider());
                logging.SetMinimumLevel(Off(Layers.LogWarning) ? LogLevel.Warning : LogLevel.Information);
            },
            Services = services =>
            {
                services.AddHttpClient(ProviderRegistry.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new StubUpstream());
                if (Off(Layers.NoLedger))
                {
                    // The pipeline of AddSwitchboard without UseLedger, and the router without the ledger's observer.
                    for (var i = services.Count - 1; i >= 0; i--)
                    {
                        if (services[i].ServiceType == typeof(IAttemptObserver) && IsLedgerObserver(services[i]))
                        {
                            services.RemoveAt(i);
                        }
                    }

                    services.AddChatClient(sp => sp.GetRequiredService<RouterChatClient>())
                        .UseCallerPolicy().UseGuardrails().UseBudgets().UseResponseCache();
                }
            },
        });

        // The hosted services a real start runs (the ledger writer among them), without Kestrel, and without
        // OpenTelemetry's (which creates the meter listener) when telemetry is off.
        foreach (var service in _app.Services.GetServices<IHostedService>())
        {
            var name = service.GetType().FullName ?? "";
            if (name.Contains("GenericWebHostService", StringComparison.Ordinal) ||
                (Off(Layers.NoTelemetry) && name.StartsWith("OpenTelemetry", StringComparison.Ordinal)))
            {
                continue;
            }

            await service.StartAsync(CancellationToken.None);
            _started.Add(service);
        }

        _handler = _app.Services.GetRequiredService<ChatHandler>();
        var check = NewContext();
        await _handler.HandleAsync(check, OpenAIProtocol.Instance);
        if (check.Response.StatusCode != 200)
        {
            throw new InvalidOperationException($"The benchmark request answered {check.Response.StatusCode}.");
        }
    }

    private static bool IsLedgerObserver(ServiceDescriptor descriptor) =>
        descriptor.ImplementationFactory?.Method.DeclaringType?.FullName?.Contains("Ledger", StringComparison.Ordinal) == true;

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var service in Enumerable.Reverse(_started))
        {
            service.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Benchmark]
    public Task Request() => _handler.HandleAsync(NewContext(), OpenAIProtocol.Instance);

    private DefaultHttpContext NewContext()
    {
        var http = new DefaultHttpContext { RequestServices = _app.Services };
        http.Request.Method = "POST";
        http.Request.Path = "/v1/chat/completions";
        http.Request.ContentType = "application/json";
        http.Request.ContentLength = _body.Length;
        http.Request.Headers.Authorization = "Bearer " + MasterKey;
        http.Request.Body = new MemoryStream(_body, writable: false);
        http.Response.Body = Stream.Null;
        return http;
    }

    /// <summary>The upstream: a canned OpenAI answer, at once.</summary>
    private sealed class StubUpstream : HttpMessageHandler
    {
        private static readonly byte[] Answer = Encoding.UTF8.GetBytes("""
            {"id":"chatcmpl-bench","object":"chat.completion","created":1796532502,"model":"gpt-4.1-mini","choices":[{"index":0,"message":{"role":"assistant","content":"The Seine runs through Paris; the city grew on its islands and banks, and the river carried its trade for two thousand years.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":62,"completion_tokens":29,"total_tokens":91}}
            """);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(Answer);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }

    /// <summary>A log sink that formats every line it gets (as the console does) and drops it.</summary>
    private sealed class FormattingSinkProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Sink();

        public void Dispose()
        {
        }

        private sealed class Sink : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                _ = formatter(state, exception);
        }
    }
}
