namespace Switchboard.Providers.Gemini;

/// <summary><c>usageMetadata</c>. <c>promptTokenCount</c> includes the cached part; thoughts are billed as output.</summary>
internal sealed class GeminiUsage
{
    public long? PromptTokenCount { get; set; }
    public long? CachedContentTokenCount { get; set; }
    public long? CandidatesTokenCount { get; set; }
    public long? ThoughtsTokenCount { get; set; }
    public long? ToolUsePromptTokenCount { get; set; }
    public long? TotalTokenCount { get; set; }
}
