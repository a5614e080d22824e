using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Switchboard.Emulator;

/// <summary>A running emulator: fake OpenAI, Anthropic and Gemini servers on one Kestrel port.</summary>
public sealed class EmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorRecorder _recorder;
    private readonly FaultResolver _faults;
    private int _disposed;

    private EmulatorHost(WebApplication app, EmulatorOptions options, EmulatorRecorder recorder, FaultResolver faults, Uri baseUrl)
    {
        _app = app;
        _faults = faults;
        Options = options;
        _recorder = recorder;
        BaseUrl = baseUrl;
    }

    /// <summary>The root URL, e.g. <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The live options; fault settings are read on every request.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>Requests to model endpoints (generation and token counting) since start or the last reset.</summary>
    public int RequestCount => _recorder.Total;

    /// <summary>The last 200 model requests, oldest first, without credential headers.</summary>
    public IReadOnlyList<EmulatorRequest> Requests => _recorder.Requests;

    /// <summary>Starts Kestrel (on 127.0.0.1 and a free port unless <see cref="EmulatorOptions.Urls"/> says otherwise).</summary>
    public static async Task<EmulatorHost> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        // It reads no configuration file: without this the host's defaults watch the working directory recursively for
        // appsettings.json changes (one inotify watch per folder), woken by every write beneath it.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(string.IsNullOrWhiteSpace(options.Urls) ? "http://127.0.0.1:0" : options.Urls);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();

        var recorder = new EmulatorRecorder();
        var stopping = app.Lifetime.ApplicationStopping;
        var faults = new FaultResolver(options);
        var router = new EmulatorRouter(new EmulatorPipeline(options, recorder, faults, stopping), new ModerationEndpoint(recorder));
        app.Run(router.RouteAsync);
        await app.StartAsync(cancellationToken);

        var address = app.Urls.First();
        var uri = new UriBuilder(address);
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*")
        {
            uri.Host = "127.0.0.1";
        }

        uri.Path = "/";
        return new EmulatorHost(app, options, recorder, faults, uri.Uri);
    }

    /// <summary>Model requests for one protocol: <c>openai</c>, <c>anthropic</c> or <c>gemini</c>.</summary>
    public int CountFor(string protocol) => _recorder.CountFor(protocol);

    /// <summary>Clears the counters and the request log.</summary>
    public void ResetCounters() => _recorder.Reset();

    /// <summary>Restarts every fault window (<c>after-ms</c>, <c>for-ms</c>, <c>percent</c>) and <c>times</c> count from the next request.</summary>
    public void ResetFaultWindows() => _faults.Reset();

    /// <summary>Completes when the host shuts down (Ctrl+C / SIGTERM) or <paramref name="ct"/> is cancelled.</summary>
    public Task WaitForShutdownAsync(CancellationToken ct) => _app.WaitForShutdownAsync(ct);

    /// <summary>The host's configuration (tests read its sources).</summary>
    internal IConfiguration Configuration => _app.Configuration;

    /// <summary>Stops Kestrel, ending any stalled streams.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
