using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Chat;
using Switchboard.Emulator;
using Switchboard.Gateway.Hosting;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>A real gateway on Kestrel (127.0.0.1, a free port) in front of a real emulator, both in-process.</summary>
public sealed class GatewayFixture : IAsyncDisposable
{
    // Real-looking credentials, so the log test can prove none of them leaks.
    public const string MasterKey = "sb-master-7f3a9c1e5b2d4f6a8c0e1b3d5f7a9c1e";
    public const string OpenAIKey = "sk-" + "proj-TESTKEYopenai1234567890abcdefABCDEF";
    public const string AnthropicKey = "sk-" + "ant-api03-TESTKEYanthropic1234567890abcdef";
    public const string GeminiKey = "AIza" + "SyTESTKEYgemini1234567890abcdefXYZ";

    private readonly string _folder;
    private readonly AttemptLog _attempts;

    private GatewayFixture(EmulatorHost emulator, WebApplication app, string folder, AttemptLog attempts)
    {
        _attempts = attempts;
        Emulator = emulator;
        App = app;
        _folder = folder;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/");
        Http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new("Bearer", MasterKey);
    }

    public EmulatorHost Emulator { get; }
    public WebApplication App { get; }
    public Uri BaseUrl { get; }
    /// <summary>A client that authenticates with the master key.</summary>
    public HttpClient Http { get; }
    /// <summary>Every attempt the gateway's router reported.</summary>
    public List<AttemptRecord> Attempts => _attempts.Records;

    /// <summary>What a gateway with <paramref name="settings"/> (over an emulated OpenAI provider) fails to start with.</summary>
    public static async Task<Exception> StartFailureAsync(Dictionary<string, string?> settings)
    {
        await using var emulator = await EmulatorHost.StartAsync();
        var folder = Directory.CreateTempSubdirectory("switchboard-gw-bad-").FullName;
        var app = await GatewayApp.BuildAsync(new GatewayStartOptions
        {
            Urls = "http://127.0.0.1:0",
            Overrides = new Dictionary<string, string?>(settings)
            {
                ["Switchboard:Ledger:ConnectionString"] = $"Data Source={Path.Combine(folder, "switchboard.db")}",
                ["Switchboard:Providers:openai:BaseUrl"] = emulator.BaseUrl.ToString(),
                ["Switchboard:Providers:openai:ApiKey"] = OpenAIKey,
            },
        });
        try
        {
            return await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        }
        finally
        {
            await app.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    public static async Task<GatewayFixture> StartAsync(Action<Dictionary<string, string?>>? configure = null, EmulatorOptions? emulatorOptions = null)
    {
        var emulator = await EmulatorHost.StartAsync(emulatorOptions ?? new EmulatorOptions());
        var folder = Directory.CreateTempSubdirectory("switchboard-gw-").FullName;
        var config = new Dictionary<string, string?>
        {
            ["Switchboard:Auth:MasterKey"] = MasterKey,
            ["Switchboard:Ledger:ConnectionString"] = $"Data Source={Path.Combine(folder, "switchboard.db")}",
            ["Switchboard:Providers:openai:BaseUrl"] = emulator.BaseUrl.ToString(),
            ["Switchboard:Providers:openai:ApiKey"] = OpenAIKey,
            ["Switchboard:Providers:anthropic:BaseUrl"] = emulator.BaseUrl.ToString(),
            ["Switchboard:Providers:anthropic:ApiKey"] = AnthropicKey,
            ["Switchboard:Providers:gemini:BaseUrl"] = emulator.BaseUrl.ToString(),
            ["Switchboard:Providers:gemini:ApiKey"] = GeminiKey,
            ["Switchboard:Routing:Retry:BaseDelayMs"] = "1",
        };
        configure?.Invoke(config);
        var attempts = new AttemptLog();
        var app = await GatewayApp.BuildAsync(new GatewayStartOptions
        {
            ConfigFile = null,
            Urls = "http://127.0.0.1:0",
            Overrides = config,
            Logging = logging =>
            {
                logging.SetMinimumLevel(LogLevel.Trace);
                logging.AddProvider(LogSink.Shared);
            },
            Services = services => services.AddSingleton<IAttemptObserver>(attempts),
        });
        await app.StartAsync();
        return new GatewayFixture(emulator, app, folder, attempts);
    }

    /// <summary>A client with no key at all.</summary>
    public HttpClient Anonymous() => new() { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A client that authenticates with the given key.</summary>
    public HttpClient WithKey(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
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

/// <summary>Collects the attempts a gateway's router reports.</summary>
public sealed class AttemptLog : IAttemptObserver
{
    public List<AttemptRecord> Records { get; } = [];

    public void OnAttempt(AttemptRecord attempt)
    {
        lock (Records)
        {
            Records.Add(attempt);
        }
    }
}
