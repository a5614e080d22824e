using Microsoft.Extensions.Configuration;
using Switchboard.Providers;

namespace Switchboard.Hosting;

/// <summary>Reads the providers' standard key variables (<c>OPENAI_API_KEY</c>, <c>ANTHROPIC_API_KEY</c>, <c>GEMINI_API_KEY</c>).</summary>
internal static class StandardKeys
{
    private static readonly (string Variable, string Type)[] Variables =
    [
        ("OPENAI_API_KEY", ProviderTypes.OpenAI),
        ("ANTHROPIC_API_KEY", ProviderTypes.Anthropic),
        ("GEMINI_API_KEY", ProviderTypes.Gemini),
        ("GOOGLE_API_KEY", ProviderTypes.Gemini),
    ];

    /// <summary>Adds a provider for each standard key that is set, or fills the key of a configured provider of that name.</summary>
    public static void Apply(SwitchboardOptions options, IConfiguration configuration)
    {
        foreach (var (variable, type) in Variables)
        {
            var key = configuration[variable];
            if (string.IsNullOrWhiteSpace(key))
            {
                continue;
            }

            if (!options.Providers.TryGetValue(type, out var provider))
            {
                options.Providers[type] = provider = new ProviderOptions { Type = type };
            }

            if (string.IsNullOrEmpty(provider.ApiKey))
            {
                provider.ApiKey = key;
            }
        }
    }
}
