namespace Switchboard.Providers.Gemini;

/// <summary>Why a prompt was refused before any candidate was produced.</summary>
internal sealed class GeminiPromptFeedback
{
    public string? BlockReason { get; set; }
    public string? BlockReasonMessage { get; set; }
}
