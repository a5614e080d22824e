namespace Switchboard.Guardrails;

/// <summary>The guardrails' settings, bound from <c>Switchboard:Guardrails</c> and validated at start-up.</summary>
public sealed class GuardrailOptions
{
    public const string SectionName = "Switchboard:Guardrails";

    public PromptInjectionOptions PromptInjection { get; set; } = new();
    public ContentFilterOptions ContentFilter { get; set; } = new();
    public PiiOptions Pii { get; set; } = new();
    public CompactionOptions Compaction { get; set; } = new();

    /// <summary>Per-route overrides, by the requested model or alias (<c>smart</c>, <c>openai/gpt-4.1</c>).</summary>
    public Dictionary<string, GuardrailOverrides> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per-key overrides, by virtual key id; they win over the route's.</summary>
    public Dictionary<string, GuardrailOverrides> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many characters of a streamed answer are held back for matches split across chunks.</summary>
    public int StreamLookBehindChars { get; set; } = GuardrailDefaults.StreamLookBehindChars;

    internal GuardOptions Guard(string guard) => guard switch
    {
        GuardNames.PromptInjection => PromptInjection,
        GuardNames.ContentFilter => ContentFilter,
        GuardNames.Pii => Pii,
        _ => Compaction,
    };
}
