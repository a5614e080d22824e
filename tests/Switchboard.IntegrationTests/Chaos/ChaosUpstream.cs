using System.Net;
using System.Net.Sockets;
using Switchboard.Emulator;

namespace Switchboard.IntegrationTests.Chaos;

/// <summary>
/// One provider's emulator on a fixed loopback port that can be taken away and brought back.
/// <para>
/// Refused connections need no emulator feature: <see cref="RefuseConnectionsAsync"/> stops Kestrel, so the port is
/// closed and every connect gets RST (ECONNREFUSED) from the kernel; <see cref="RestoreAsync"/> starts a new emulator
/// on the same port with the same <see cref="Options"/>. A provider that refuses from the very start is configured with
/// <see cref="ClosedPortUrl"/>: a port bound once to learn a free number, then released.
/// </para>
/// </summary>
public sealed class ChaosUpstream : IAsyncDisposable
{
    private EmulatorHost? _host;

    private ChaosUpstream(string provider, int port, EmulatorOptions options, EmulatorHost? host)
    {
        Provider = provider;
        Port = port;
        Options = options;
        _host = host;
    }

    /// <summary><c>openai</c>, <c>anthropic</c> or <c>gemini</c>.</summary>
    public string Provider { get; }

    public int Port { get; }

    /// <summary>The live options: faults are read per request, and they survive a refuse/restore cycle.</summary>
    public EmulatorOptions Options { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    public bool IsRefusing => _host is null;

    /// <summary>Requests the current emulator received since it (re)started.</summary>
    public IReadOnlyList<EmulatorRequest> Requests => _host?.Requests ?? [];

    public int RequestCount => _host?.RequestCount ?? 0;

    public static async Task<ChaosUpstream> StartAsync(string provider, bool refusing = false)
    {
        var port = FreePort();
        var options = new EmulatorOptions { Urls = $"http://127.0.0.1:{port}" };
        var host = refusing ? null : await EmulatorHost.StartAsync(options);
        return new ChaosUpstream(provider, port, options, host);
    }

    /// <summary>A loopback URL nothing listens on: connections to it are refused.</summary>
    public static string ClosedPortUrl() => $"http://127.0.0.1:{FreePort()}/";

    /// <summary>Stops the emulator: from now on the port refuses connections.</summary>
    public async Task RefuseConnectionsAsync()
    {
        if (Interlocked.Exchange(ref _host, null) is { } host)
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>Starts an emulator on the same port again.</summary>
    public async Task RestoreAsync()
    {
        if (_host is null)
        {
            _host = await EmulatorHost.StartAsync(Options);
        }
    }

    /// <summary>Restarts this emulator's fault windows (<c>after-ms</c>, <c>for-ms</c>, <c>percent</c>) from the next request.</summary>
    public void ResetFaultWindows() => _host?.ResetFaultWindows();

    public async ValueTask DisposeAsync() => await RefuseConnectionsAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
