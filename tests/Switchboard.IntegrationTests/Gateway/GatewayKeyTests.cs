using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>Virtual keys: create, use, list, revoke, expiry, model allowlist, per-key rate limit.</summary>
public sealed class GatewayKeyTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    private async Task<(string Key, string Id)> Create(object request)
    {
        using var response = await _fx.Http.PostAsJsonAsync("admin/keys", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.GetProperty("key").GetString()!, json.GetProperty("info").GetProperty("id").GetString()!);
    }

    private static Task<HttpResponseMessage> Chat(HttpClient client, string model = "smart") =>
        client.PostAsync("v1/chat/completions", new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Lifecycle_CreateUseListRevoke()
    {
        var (key, id) = await Create(new { name = "team-a" });
        using var client = _fx.WithKey(key);

        using (var ok = await Chat(client))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var listed = await _fx.Http.GetStringAsync("admin/keys");
        Assert.Contains(id, listed, StringComparison.Ordinal);
        Assert.Contains("team-a", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        Assert.Contains(key[..7], listed, StringComparison.Ordinal);

        using (var revoke = await _fx.Http.DeleteAsync($"admin/keys/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var afterRevoke = await Chat(client);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
    }

    [Fact]
    public async Task XApiKeyHeader_IsAccepted()
    {
        var (key, _) = await Create(new { name = "x-api-key" });
        using var client = _fx.Anonymous();
        client.DefaultRequestHeaders.Add("x-api-key", key);

        using var response = await Chat(client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ExpiredKey_401()
    {
        var (key, _) = await Create(new { name = "old", expires_at = TimeProvider.System.GetUtcNow().AddMinutes(-1) });
        using var client = _fx.WithKey(key);

        using var response = await Chat(client);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelNotAllowed_403()
    {
        var (key, _) = await Create(new { name = "fast-only", models = new[] { "fast" } });
        using var client = _fx.WithKey(key);

        using var allowed = await Chat(client, "fast");
        using var denied = await Chat(client, "smart");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var error = (await denied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("model", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task OverRateLimit_429WithRetryAfter()
    {
        var (key, _) = await Create(new { name = "slow", rpm = 1 });
        using var client = _fx.WithKey(key);

        using var first = await Chat(client);
        using var second = await Chat(client);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((HttpStatusCode)429, second.StatusCode);
        Assert.True(second.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }
}
