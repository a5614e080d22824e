using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Telemetry;

namespace Switchboard.Gateway.Hosting;

/// <summary>Puts every registered logger provider (console, JSON console, test sinks, ...) behind <see cref="RedactingLoggerProvider"/>.</summary>
internal static class LogRedaction
{
    /// <summary>Call last, after every logging provider has been added.</summary>
    public static void RedactAllLoggerProviders(this IServiceCollection services, IConfiguration configuration)
    {
        var secrets = KnownSecrets(configuration);
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(ILoggerProvider) || descriptor.IsKeyedService)
            {
                continue;
            }

            services[i] = ServiceDescriptor.Singleton<ILoggerProvider>(sp => new RedactingLoggerProvider(Create(sp, descriptor), () => secrets));
        }
    }

    private static ILoggerProvider Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance as ILoggerProvider
        ?? (ILoggerProvider?)descriptor.ImplementationFactory?.Invoke(services)
        ?? (ILoggerProvider)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);

    /// <summary>The configured credentials: every provider key, the master key, the moderation key and the standard key variables.</summary>
    private static string[] KnownSecrets(IConfiguration configuration)
    {
        var secrets = new List<string?>
        {
            configuration["Switchboard:Auth:MasterKey"],
            configuration["OPENAI_API_KEY"],
            configuration["ANTHROPIC_API_KEY"],
            configuration["GEMINI_API_KEY"],
            configuration["GOOGLE_API_KEY"],
            configuration["Switchboard:Guardrails:ContentFilter:Moderation:ApiKey"],
        };
        secrets.AddRange(configuration.GetSection("Switchboard:Providers").GetChildren().Select(p => p["ApiKey"]));
        return [.. secrets.OfType<string>().Where(s => s.Length >= 8 && s != "emulated").Distinct()];
    }
}
