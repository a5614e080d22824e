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

namespace Switchboard.BrowserTests;

/// <summary>A real gateway on Kestrel (127.0.0.1, a free port) in front of a real emulator, both in-process, for the browser.</summary>
/// <remarks>The same approach as the integration tests' gateway fixture, cut to what the dashboard tests need.</remarks>
public sealed class DashboardGateway : IAsyncDisposable
{
    // Real-looking credentials, so the tests can prove that none of them reaches the page.
    public const string MasterKey = "sb-master-d45hb0ard9c1e5b2d4f6a8c0e1b3d5f7a";
    public const string OpenAIKey = "sk-" + "proj-DASHBOARDopenai1234567890abcdefABCDEF";
    public const string AnthropicKey = "sk-" + "ant-api03-DASHBOARDanthropic1234567890abcdef";
    public const string GeminiKey = "AIza" + "SyDASHBOARDgemini1234567890abcdefXYZ";

    private readonly string _folder;

    private DashboardGateway(EmulatorHost emulator, WebApplication app, string folder, string? masterKey)
    {
        Emulator = emulator;
        App = app;
        _folder = folder;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/");
        Http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (masterKey is not null)
        {
            Http.DefaultRequestHeaders.Authorization = new("Bearer", masterKey);
        }
    }

    public EmulatorHost Emulator { get; }
    public WebApplication App { get; }
    public Uri BaseUrl { get; }
    public Uri DashboardUrl => new(BaseUrl, "ui");
    /// <summary>A client with the master key (or none, in local mode).</summary>
    public HttpClient Http { get; }

    /// <summary>Starts the emulator and a gateway routing to it; with <paramref name="masterKey"/> null the gateway runs in local mode.</summary>
    public static async Task<DashboardGateway> StartAsync(string? masterKey)
    {
        var emulator = await EmulatorHost.StartAsync(new EmulatorOptions());
        var folder = Directory.CreateTempSubdirectory("switchboard-ui-").FullName;
        var config = new Dictionary<string, string?>
        {
            ["Switchboard:Auth:MasterKey"] = masterKey ?? "",
            ["Switchboard:Ledger:ConnectionString"] = $"Data Source={Path.Combine(folder, "switchboard.db")}",
            ["Switchboard:Providers:openai:BaseUrl"] = emulator.BaseUrl.ToString(),
            ["Switchboard:Providers:openai:ApiKey"] = OpenAIKey,
            ["Switchboard:Providers:anthropic:BaseUrl"] = emulator.BaseUrl.ToString(),
            ["Switchboard:Providers:anthropic:ApiKey"] = AnthropicKey,
            ["Switchboard:Providers:gemini:BaseUrl"] = emulator.BaseUrl.ToString(),
            ["Switchboard:Providers:gemini:ApiKey"] = GeminiKey,
            ["Switchboard:Routing:Retry:MaxRetries"] = "0",
            ["Switchboard:Budgets:0:Name"] = "ui-test-monthly",
            ["Switchboard:Budgets:0:Scope"] = "global",
            ["Switchboard:Budgets:0:Window"] = "monthly",
            ["Switchboard:Budgets:0:LimitUsd"] = "10",
        };
        var app = await GatewayApp.BuildAsync(new GatewayStartOptions
        {
            ConfigFile = null,
            Urls = "http://127.0.0.1:0",
            Overrides = config,
            Logging = logging => logging.ClearProviders(),
        });
        await app.StartAsync();
        return new DashboardGateway(emulator, app, folder, masterKey);
    }

    /// <summary>Sends one OpenAI chat completion and returns the response (the caller disposes it).</summary>
    public async Task<HttpResponseMessage> ChatAsync(string model, string prompt, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { model, messages = new[] { new { role = "user", content = prompt } } }),
                Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Authorization = new("Bearer", key);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>Creates a virtual key through the admin API; returns (id, key).</summary>
    public async Task<(string Id, string Key)> CreateKeyAsync(string name)
    {
        using var response = await Http.PostAsJsonAsync("admin/keys", new { name });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("info").GetProperty("id").GetString()!, body.RootElement.GetProperty("key").GetString()!);
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
