using Microsoft.Extensions.Configuration;
using Switchboard.Emulator;
using Switchboard.Hosting;

namespace Switchboard.Gateway.Hosting;

/// <summary>
/// With no provider configured (no key in configuration or the standard variables), Switchboard serves from the
/// built-in emulator, in-process on a loopback port, for OpenAI, Anthropic and Gemini alike. Said loudly at start-up
/// and in every response's <c>x-switchboard-emulated</c> header.
/// </summary>
public sealed class EmulatedProviders : IAsyncDisposable
{
    private EmulatedProviders(EmulatorHost host) => Host = host;

    public EmulatorHost Host { get; }

    /// <summary>Whether the configuration names any provider.</summary>
    public static bool AnyConfigured(IConfiguration configuration)
    {
        var probe = new SwitchboardOptions();
        configuration.GetSection(SwitchboardOptions.SectionName).Bind(probe);
        StandardKeys.Apply(probe, configuration);
        return probe.Providers.Count > 0;
    }

    /// <summary>Starts the emulator and returns the configuration entries that point the three providers at it.</summary>
    public static async Task<(EmulatedProviders Emulator, Dictionary<string, string?> Configuration)> StartAsync(CancellationToken cancellationToken)
    {
        var host = await EmulatorHost.StartAsync(new EmulatorOptions(), cancellationToken);
        var baseUrl = host.BaseUrl.ToString();
        var configuration = new Dictionary<string, string?>();
        foreach (var provider in new[] { "openai", "anthropic", "gemini" })
        {
            configuration[$"Switchboard:Providers:{provider}:Type"] = provider;
            // Each written the way that provider's SDK writes its base URL: OpenAI's with the version.
            configuration[$"Switchboard:Providers:{provider}:BaseUrl"] = provider == "openai" ? baseUrl + "v1" : baseUrl;
            configuration[$"Switchboard:Providers:{provider}:ApiKey"] = "emulated";
        }

        return (new EmulatedProviders(host), configuration);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
