using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// Local mode (no master key, requests without a key accepted) is allowed only on loopback, judged from the addresses
/// Kestrel actually bound once it has started (whatever set them: <c>--urls</c>, <c>Kestrel:Endpoints</c>, <c>ASPNETCORE_URLS</c>).
/// Until that check has passed, a keyless gateway answers every request 503.
/// </summary>
internal sealed partial class LocalModeGuard(IServer server, IOptions<AuthOptions> auth, ILogger<LocalModeGuard> logger) : IHostedLifecycleService
{
    private volatile bool _verified;

    /// <summary>Requests may be served: a master key is set, or every bound address is loopback.</summary>
    public bool Open => _verified || !string.IsNullOrEmpty(auth.Value.MasterKey);

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(auth.Value.MasterKey))
        {
            return Task.CompletedTask;
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
        var exposed = addresses.Where(a => !IsLoopback(a)).ToArray();
        if (exposed.Length > 0 || addresses.Length == 0)
        {
            throw new OptionsValidationException("Switchboard:Auth:MasterKey", typeof(AuthOptions),
            [
                $"Switchboard:Auth:MasterKey is required: the gateway is bound beyond loopback ({string.Join(", ", exposed.DefaultIfEmpty("no address reported"))}) " +
                "and would accept requests without a key. Set a master key, or bind only 127.0.0.1 / [::1] / localhost.",
            ]);
        }

        _verified = true;
        LogLocalMode(logger, string.Join(", ", addresses));
        return Task.CompletedTask;
    }

    /// <summary>Whether a bound address (<c>http://127.0.0.1:8080</c>, <c>http://[::]:80</c>, <c>http://localhost:5000</c>) is loopback only.</summary>
    public static bool IsLoopback(string address)
    {
        BindingAddress binding;
        try
        {
            binding = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return false;
        }

        var host = binding.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ||
            (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "Local mode: no Switchboard:Auth:MasterKey is set, so requests without a key are accepted. This is allowed only because every address the gateway is bound to is loopback ({Addresses}).")]
    private static partial void LogLocalMode(ILogger logger, string addresses);
}
