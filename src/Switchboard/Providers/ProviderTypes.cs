namespace Switchboard.Providers;

/// <summary>The provider protocol names accepted in <c>Switchboard:Providers:&lt;name&gt;:Type</c>.</summary>
public static class ProviderTypes
{
    public const string OpenAI = "openai";
    public const string OpenAICompatible = "openai-compatible";
    public const string AzureOpenAI = "azure-openai";
    public const string Anthropic = "anthropic";
    public const string Gemini = "gemini";

    /// <summary>Every accepted type.</summary>
    public static readonly IReadOnlyList<string> All = [OpenAI, OpenAICompatible, AzureOpenAI, Anthropic, Gemini];
}
