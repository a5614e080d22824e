namespace Switchboard.Providers;

/// <summary>Defaults for <see cref="ProviderOptions"/>.</summary>
public static class ProviderDefaults
{
    /// <summary>Longest silence between two events of a stream: a minute, far above any healthy gap between tokens.</summary>
    public const double StreamIdleTimeoutSeconds = 60;
    public const string AnthropicVersion = "2023-06-01";
    public const string AzureApiVersion = "2024-10-21";

    /// <summary>The public base URL of each provider type.</summary>
    public static Uri? BaseUrlFor(string type) => type switch
    {
        ProviderTypes.OpenAI => new Uri("https://api.openai.com/v1/"),
        ProviderTypes.Anthropic => new Uri("https://api.anthropic.com/"),
        ProviderTypes.Gemini => new Uri("https://generativelanguage.googleapis.com/"),
        _ => null,
    };
}
