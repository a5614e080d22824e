using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Chat;
using Switchboard.Gateway.Hosting;
using Switchboard.IntegrationTests.Gateway;

namespace Switchboard.IntegrationTests.Chaos;

/// <summary>
/// A cold gateway on 127.0.0.1 in front of three emulators, one per provider, each on its own port. Routing settings
/// are the defaults, except <c>Routing:Retry:BaseDelayMs = 1</c> (as in <see cref="GatewayFixture"/>) so backoff does
/// not dominate the run; no retry, breaker or timeout is tuned.
/// </summary>
public sealed class ChaosGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;
    private readonly AttemptLog _attempts;

    private ChaosGateway(WebApplication app, string folder, AttemptLog attempts, ChaosUpstream openAI, ChaosUpstream anthropic, ChaosUpstream gemini)
    {
        _app = app;
        _folder = folder;
        _attempts = attempts;
        OpenAI = openAI;
        Anthropic = anthropic;
        Gemini = gemini;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/");
        Http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new("Bearer", GatewayFixture.MasterKey);
    }

    public ChaosUpstream OpenAI { get; }
    public ChaosUpstream Anthropic { get; }
    public ChaosUpstream Gemini { get; }
    public IEnumerable<ChaosUpstream> Upstreams => [OpenAI, Anthropic, Gemini];
    public Uri BaseUrl { get; }

    /// <summary>Authenticates with the master key; 30 s timeout.</summary>
    public HttpClient Http { get; }

    /// <summary>A copy of every attempt the router reported so far.</summary>
    public IReadOnlyList<AttemptRecord> Attempts
    {
        get
        {
            lock (_attempts.Records)
            {
                return [.. _attempts.Records];
            }
        }
    }

    /// <summary>Starts the three emulators and the gateway. <paramref name="refusing"/> names providers whose port is closed from the start.</summary>
    public static async Task<ChaosGateway> StartAsync(params string[] refusing)
    {
        var openAI = await ChaosUpstream.StartAsync("openai", refusing.Contains("openai"));
        var anthropic = await ChaosUpstream.StartAsync("anthropic", refusing.Contains("anthropic"));
        var gemini = await ChaosUpstream.StartAsync("gemini", refusing.Contains("gemini"));
        var folder = Directory.CreateTempSubdirectory("switchboard-chaos-").FullName;
        var config = new Dictionary<string, string?>
        {
            ["Switchboard:Auth:MasterKey"] = GatewayFixture.MasterKey,
            ["Switchboard:Ledger:ConnectionString"] = $"Data Source={Path.Combine(folder, "switchboard.db")}",
            // Base URLs written the way each provider's SDK documents them: OpenAI's with /v1, the others without a version.
            ["Switchboard:Providers:openai:BaseUrl"] = openAI.BaseUrl.ToString().TrimEnd('/') + "/v1",
            ["Switchboard:Providers:openai:ApiKey"] = GatewayFixture.OpenAIKey,
            ["Switchboard:Providers:anthropic:BaseUrl"] = anthropic.BaseUrl.ToString().TrimEnd('/'),
            ["Switchboard:Providers:anthropic:ApiKey"] = GatewayFixture.AnthropicKey,
            ["Switchboard:Providers:gemini:BaseUrl"] = gemini.BaseUrl.ToString().TrimEnd('/'),
            ["Switchboard:Providers:gemini:ApiKey"] = GatewayFixture.GeminiKey,
            ["Switchboard:Routing:Retry:BaseDelayMs"] = "1",
        };
        var attempts = new AttemptLog();
        var app = await GatewayApp.BuildAsync(new GatewayStartOptions
        {
            ConfigFile = null,
            Urls = "http://127.0.0.1:0",
            Overrides = config,
            Logging = logging => logging.ClearProviders(),
            Services = services => services.AddSingleton<IAttemptObserver>(attempts),
        });
        await app.StartAsync();
        return new ChaosGateway(app, folder, attempts, openAI, anthropic, gemini);
    }

    /// <summary>Each deployment's circuit state from <c>/admin/health</c>: deployment name → closed/open/half-open/isolated.</summary>
    public async Task<Dictionary<string, string>> CircuitsAsync(CancellationToken ct)
    {
        var health = await Http.GetFromJsonAsync<JsonElement>("admin/health", ct);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var deployment in health.EnumerateArray())
        {
            var name = Property(deployment, "deployment");
            var circuit = Property(deployment, "circuit");
            if (name is not null && circuit is not null)
            {
                result[name] = circuit;
            }
        }

        return result;
    }

    private static string? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.ToString();
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var upstream in Upstreams)
        {
            await upstream.DisposeAsync();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
