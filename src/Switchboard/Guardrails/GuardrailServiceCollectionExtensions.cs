using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Switchboard.Guardrails;

/// <summary>Registers the guardrails' options (validated at start-up) and the moderation HTTP client.</summary>
public static class GuardrailServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>Switchboard:Guardrails</c>; registers the named HttpClient of the moderation call.</summary>
    public static IServiceCollection AddSwitchboardGuardrails(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<GuardrailOptions>().Bind(configuration.GetSection(GuardrailOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GuardrailOptions>, GuardrailOptionsValidator>());
        services.AddHttpClient(GuardrailDefaults.ModerationHttpClient);
        return services;
    }
}
