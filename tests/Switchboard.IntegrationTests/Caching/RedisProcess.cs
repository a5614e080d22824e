using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Switchboard.IntegrationTests.Caching;

/// <summary>A redis-server of the test's own, on a fixed loopback port, that can be killed and started again.</summary>
public sealed class RedisProcess : IDisposable
{
    private readonly string _server;
    private readonly string _dir;
    private Process? _process;

    public RedisProcess()
    {
        _server = Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_REDIS_SERVER") is { Length: > 0 } path
            ? path
            : throw new InvalidOperationException(
                "SWITCHBOARD_TEST_REDIS_SERVER is not set: run the tests through scripts/test.sh, or export it as the path of redis-server.");
        _dir = Directory.CreateTempSubdirectory("sb-redis-").FullName;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_server)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dir,
        };
        foreach (var arg in new[] { "--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", _dir })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, timeout.Token);
            }
        }
    }

    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit(5000);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
