using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Emulator;
using Switchboard.Gateway.Hosting;
using Switchboard.IntegrationTests.Caching;

namespace Switchboard.IntegrationTests.RateLimits;

/// <summary>
/// Two real gateway replicas on Kestrel (127.0.0.1, free ports) over one emulator, one SQLite key store and one
/// rate-limit Redis (which may be a closed port): what a load balancer in front of two replicas would see.
/// </summary>
public sealed class RateLimitReplicas : IAsyncDisposable
{
    public const string MasterKey = "sb-master-ratelimit-replicas-0123456789";

    private readonly string _folder;

    private RateLimitReplicas(EmulatorHost emulator, IReadOnlyList<WebApplication> apps, string folder)
    {
        Emulator = emulator;
        Apps = apps;
        _folder = folder;
    }

    public EmulatorHost Emulator { get; }
    public IReadOnlyList<WebApplication> Apps { get; }

    public static async Task<RateLimitReplicas> StartAsync(string redis, LogSink? sink = null)
    {
        var emulator = await EmulatorHost.StartAsync(new EmulatorOptions());
        var folder = Directory.CreateTempSubdirectory("switchboard-rl-").FullName;
        var apps = new List<WebApplication>();
        var prefix = $"switchboard:rl:test-{Guid.NewGuid():N}:"; // one per pair: both replicas count the same keys
        for (var i = 0; i < 2; i++)
        {
            var app = await GatewayApp.BuildAsync(new GatewayStartOptions
            {
                ConfigFile = null,
                Urls = "http://127.0.0.1:0",
                Overrides = new Dictionary<string, string?>
                {
                    ["Switchboard:Auth:MasterKey"] = MasterKey,
                    ["Switchboard:Ledger:ConnectionString"] = $"Data Source={Path.Combine(folder, "switchboard.db")}",
                    ["Switchboard:Providers:openai:BaseUrl"] = emulator.BaseUrl.ToString(),
                    ["Switchboard:Providers:openai:ApiKey"] = "sk-test",
                    ["Switchboard:RateLimits:Redis"] = redis,
                    ["Switchboard:RateLimits:KeyPrefix"] = prefix,
                },
                Logging = logging =>
                {
                    logging.SetMinimumLevel(LogLevel.Information);
                    if (sink is not null)
                    {
                        logging.AddProvider(sink);
                    }
                },
            });
            await app.StartAsync();
            apps.Add(app);
        }

        return new RateLimitReplicas(emulator, apps, folder);
    }

    /// <summary>A client of replica <paramref name="index"/> authenticating with <paramref name="key"/>.</summary>
    public HttpClient Client(int index, string key)
    {
        var address = Apps[index].Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    /// <summary>Creates a virtual key with a requests-per-minute limit through replica 0's admin API.</summary>
    public async Task<string> CreateKeyAsync(int rpm, CancellationToken cancellationToken)
    {
        using var admin = Client(0, MasterKey);
        using var response = await admin.PostAsJsonAsync("admin/keys", new { name = "limited", rpm }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return json.GetProperty("key").GetString()!;
    }

    public static Task<HttpResponseMessage> ChatAsync(HttpClient client, CancellationToken cancellationToken) =>
        client.PostAsync("v1/chat/completions",
            new StringContent("""{"model":"openai/gpt-4.1","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
            cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var app in Apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        await Emulator.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
