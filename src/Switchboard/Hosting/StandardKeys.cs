using Microsoft.Extensions.Configuration;
using Switchboard.Providers;

namespace Switchboard.Hosting;

/// <summary>
/// Reads the providers' standard variables, the ones their own SDKs read: keys (<c>OPENAI_API_KEY</c>,
/// <c>ANTHROPIC_API_KEY</c>, <c>GEMINI_API_KEY</c>, <c>GOOGLE_API_KEY</c>) and base URLs (<c>OPENAI_BASE_URL</c>,
/// <c>ANTHROPIC_BASE_URL</c>, <c>GOOGLE_GEMINI_BASE_URL</c>).
/// </summary>
internal static class StandardKeys
{
    private static readonly (string Variable, string Type)[] Keys =
    [
        ("OPENAI_API_KEY", ProviderTypes.OpenAI),
        ("ANTHROPIC_API_KEY", ProviderTypes.Anthropic),
        ("GEMINI_API_KEY", ProviderTypes.Gemini),
        ("GOOGLE_API_KEY", ProviderTypes.Gemini),
    ];

    private static readonly (string Variable, string Type)[] BaseUrls =
    [
        ("OPENAI_BASE_URL", ProviderTypes.OpenAI),
        ("ANTHROPIC_BASE_URL", ProviderTypes.Anthropic),
        ("GOOGLE_GEMINI_BASE_URL", ProviderTypes.Gemini),
    ];

    /// <summary>
    /// Adds a provider for each standard key that is set, or fills the key of a configured provider of that name; then
    /// gives each provider named after a type the standard base URL of that type when it has none configured.
    /// </summary>
    public static void Apply(SwitchboardOptions options, IConfiguration configuration)
    {
        foreach (var (variable, type) in Keys)
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

        foreach (var (variable, type) in BaseUrls)
        {
            var value = configuration[variable];
            if (!string.IsNullOrWhiteSpace(value) && options.Providers.TryGetValue(type, out var provider) && provider.BaseUrl is null
                && Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url))
            {
                provider.BaseUrl = url;
            }
        }
    }
}
