using System.Net.Http.Json;
using System.Text.Json;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>/readyz tells anyone ready or not; its details (providers' last errors) need the master key.</summary>
public sealed class GatewayReadinessTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    [Fact]
    public async Task Readyz_Anonymous_SaysReadyWithoutDetails()
    {
        using var anonymous = _fx.Anonymous();
        var ready = await anonymous.GetFromJsonAsync<JsonElement>("readyz");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.False(ready.TryGetProperty("deployments", out _));
        Assert.False(ready.TryGetProperty("checks", out _));
    }

    [Fact]
    public async Task Readyz_MasterKey_ListsChecksAndDeployments()
    {
        var ready = await _fx.Http.GetFromJsonAsync<JsonElement>("readyz");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.True(ready.GetProperty("deployments").GetArrayLength() > 0);
        Assert.True(ready.TryGetProperty("checks", out _));
    }
}
