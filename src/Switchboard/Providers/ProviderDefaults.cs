namespace Switchboard.Providers;

/// <summary>Defaults for <see cref="ProviderOptions"/>.</summary>
public static class ProviderDefaults
{
    public const double TimeoutSeconds = 60;
    public const double StreamIdleTimeoutSeconds = 30;
    public const string AnthropicVersion = "2023-06-01";
    public const string AzureApiVersion = "2024-10-21";

    /// <summary>The public base URL of each provider type.</summary>
    public static Uri? BaseUrlFor(string type) => type switch
    {
        ProviderTypes.OpenAI => new Uri("https://api.openai.com/"),
        ProviderTypes.Anthropic => new Uri("https://api.anthropic.com/"),
        ProviderTypes.Gemini => new Uri("https://generativelanguage.googleapis.com/"),
        _ => null,
    };
}
