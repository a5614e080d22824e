namespace Switchboard.Providers.Gemini;

/// <summary>A candidate's content: <c>role</c> (always <c>model</c> in replies) and its parts.</summary>
internal sealed class GeminiContent
{
    public string? Role { get; set; }
    public List<GeminiPart>? Parts { get; set; }
}
