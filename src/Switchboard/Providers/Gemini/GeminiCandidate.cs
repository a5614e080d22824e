namespace Switchboard.Providers.Gemini;

/// <summary>One candidate answer; the adapter reads the first only.</summary>
internal sealed class GeminiCandidate
{
    public GeminiContent? Content { get; set; }
    public string? FinishReason { get; set; }
    public int? Index { get; set; }
}
