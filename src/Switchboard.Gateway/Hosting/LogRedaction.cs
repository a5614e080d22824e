using System.Reflection;
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
        var wrapped = new List<(Type Inner, Type Wrapper)>();
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(ILoggerProvider) || descriptor.IsKeyedService)
            {
                continue;
            }

            // The wrapper's type names the inner provider, so the filter rules written for it can be aimed at the wrapper.
            var inner = descriptor.ImplementationType ?? descriptor.ImplementationInstance?.GetType();
            Type? wrapper = null;
            if (inner is not null)
            {
                wrapper = typeof(Redacted<>).MakeGenericType(inner);
                wrapped.Add((inner, wrapper));
            }

            services[i] = ServiceDescriptor.Singleton<ILoggerProvider>(sp =>
            {
                var redacting = new RedactingLoggerProvider(Create(sp, descriptor), () => secrets);
                return wrapper is null ? redacting : (ILoggerProvider)Activator.CreateInstance(wrapper, redacting)!;
            });
        }

        services.PostConfigure<LoggerFilterOptions>(options => AimProviderRules(options, wrapped));
    }

    /// <summary>
    /// A rule for a provider (by its alias, <c>Logging:Console:…</c>, or its type's full name) is matched by the logger
    /// factory against the registered provider's type: the wrapper's. Each such rule is copied for the wrapper of that
    /// provider, so <c>Logging:Console:LogLevel:Default</c> still governs the console.
    /// </summary>
    private static void AimProviderRules(LoggerFilterOptions options, List<(Type Inner, Type Wrapper)> wrapped)
    {
        var rules = options.Rules.ToList();
        foreach (var rule in rules)
        {
            if (rule.ProviderName is not { Length: > 0 } name)
            {
                continue;
            }

            foreach (var (inner, wrapper) in wrapped)
            {
                if (string.Equals(name, inner.FullName, StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(name, inner.GetCustomAttribute<ProviderAliasAttribute>()?.Alias, StringComparison.OrdinalIgnoreCase))
                {
                    options.Rules.Add(new LoggerFilterRule(wrapper.FullName, rule.CategoryName, rule.LogLevel, rule.Filter));
                }
            }
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

    /// <summary>A redacting provider whose type names the provider it wraps (<typeparamref name="TInner"/>), for filter rules.</summary>
    private sealed class Redacted<TInner>(RedactingLoggerProvider redacting) : ILoggerProvider, ISupportExternalScope
        where TInner : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => redacting.CreateLogger(categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => redacting.SetScopeProvider(scopeProvider);

        public void Dispose() => redacting.Dispose();
    }
}
