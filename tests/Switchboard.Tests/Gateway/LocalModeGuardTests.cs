using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Tests.Gateway;

/// <summary>Local mode is decided from the addresses the server reports as bound, not from the configured URLs.</summary>
public sealed class LocalModeGuardTests
{
    private static LocalModeGuard Guard(string? masterKey, params string[] bound)
    {
        var features = new FeatureCollection();
        var addresses = new ServerAddressesFeature();
        foreach (var address in bound)
        {
            addresses.Addresses.Add(address);
        }

        features.Set<IServerAddressesFeature>(addresses);
        return new LocalModeGuard(new BoundServer(features), Options.Create(new AuthOptions { MasterKey = masterKey }), NullLogger<LocalModeGuard>.Instance);
    }

    [Theory]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://[::]:8080")]
    [InlineData("http://192.168.1.20:8080")]
    public async Task NoMasterKey_BoundBeyondLoopback_StopsStartUpNamingTheMasterKey(string address)
    {
        var guard = Guard(null, "http://127.0.0.1:8080", address);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => guard.StartedAsync(CancellationToken.None));
        Assert.Contains("Switchboard:Auth:MasterKey", error.Message);
        Assert.Contains(address, error.Message);
        Assert.False(guard.Open);
    }

    [Fact]
    public async Task NoMasterKey_BoundToLoopbackOnly_OpensLocalMode()
    {
        var guard = Guard(null, "http://127.0.0.1:8080", "http://[::1]:8080", "http://localhost:8081");
        Assert.False(guard.Open);
        await guard.StartedAsync(CancellationToken.None);
        Assert.True(guard.Open);
    }

    [Fact]
    public async Task MasterKey_BoundEverywhere_IsAllowed()
    {
        var guard = Guard("sb-master-key", "http://0.0.0.0:8080");
        await guard.StartedAsync(CancellationToken.None);
        Assert.True(guard.Open);
    }

    private sealed class BoundServer(IFeatureCollection features) : IServer
    {
        public IFeatureCollection Features { get; } = features;

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull =>
            Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
