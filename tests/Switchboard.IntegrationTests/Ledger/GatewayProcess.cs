using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.IntegrationTests.Ledger;

/// <summary>
/// The real gateway as a separate OS process: <c>dotnet Switchboard.Cli.dll serve</c>, the CLI build that the project reference
/// copies beside the test assembly. Killed with SIGKILL (<see cref="Process.Kill(bool)"/>), never asked to stop.
/// </summary>
internal sealed class GatewayProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private GatewayProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int Id => _process.Id;

    /// <summary>The last lines the process wrote (stdout and stderr), for failure messages.</summary>
    public string OutputTail
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static string CliDll
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "Switchboard.Cli.dll");
            Assert.True(File.Exists(dll) && File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")),
                $"{dll} (and its runtimeconfig) not found: the test project references Switchboard.Cli so its build is copied here.");
            return dll;
        }
    }

    /// <summary>Starts <c>serve --urls http://127.0.0.1:PORT --config CONFIG</c> in the config's folder and waits for <c>/healthz</c>.</summary>
    public static async Task<GatewayProcess> StartAsync(string configFile, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var psi = new ProcessStartInfo(DotnetHost(), [CliDll, "serve", "--urls", $"http://127.0.0.1:{port}", "--config", configFile])
        {
            WorkingDirectory = Path.GetDirectoryName(configFile)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var variable in new[] { "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "ASPNETCORE_URLS", "DOTNET_URLS" })
        {
            psi.Environment.Remove(variable);
        }

        psi.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(psi)!;
        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => gateway.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = gateway.BaseUrl, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                Assert.Fail($"The gateway exited with {process.ExitCode} at start:\n{gateway.OutputTail}");
            }

            try
            {
                using var response = await http.GetAsync("/healthz", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return gateway;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                gateway.Dispose();
                Assert.Fail($"The gateway did not answer /healthz within 60 s:\n{gateway.OutputTail}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Sends a signal (<c>kill -SIGNAL pid</c>), as an orchestrator stopping the gateway would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(timeout);
        return _process.ExitCode;
    }

    /// <summary><c>kill -9</c>: the process gets no chance to flush or drain anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 200)
            {
                _output.Dequeue();
            }
        }
    }

    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        return !string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, "dotnet")) ? Path.Combine(root, "dotnet") : "dotnet";
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
