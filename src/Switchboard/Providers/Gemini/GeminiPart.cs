namespace Switchboard.Providers.Gemini;

/// <summary>One reply part: text (a thought when <see cref="Thought"/> is true) or a function call.</summary>
internal sealed class GeminiPart
{
    public string? Text { get; set; }
    public bool? Thought { get; set; }
    public string? ThoughtSignature { get; set; }
    public GeminiFunctionCall? FunctionCall { get; set; }
}
