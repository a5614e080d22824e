namespace Switchboard.Guardrails;

/// <summary><c>Switchboard:Guardrails:ContentFilter</c>: deny categories and patterns, and an optional moderation call.</summary>
public sealed class ContentFilterOptions : GuardOptions
{
    /// <summary>Built-in categories to deny (<see cref="ContentCategories"/>); null means all of them, empty none.</summary>
    public List<string>? Categories { get; set; }

    /// <summary>Extra regular expressions (case-insensitive) denied in prompts.</summary>
    public List<string> InputPatterns { get; set; } = [];

    /// <summary>Extra regular expressions (case-insensitive) denied in answers.</summary>
    public List<string> OutputPatterns { get; set; } = [];

    /// <summary>Apply the categories to answers too (streams are checked chunk by chunk). On by default.</summary>
    public bool ScanOutput { get; set; } = true;

    /// <summary>An OpenAI-compatible <c>POST /v1/moderations</c> call on the prompt.</summary>
    public ModerationOptions Moderation { get; set; } = new();
}
