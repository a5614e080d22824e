namespace Switchboard.Guardrails;

/// <summary>Overrides for one route (<c>Routes:&lt;route&gt;</c>) or one virtual key (<c>Keys:&lt;key id&gt;</c>).</summary>
public sealed class GuardrailOverrides
{
    public GuardOverride? PromptInjection { get; set; }
    public GuardOverride? ContentFilter { get; set; }
    public GuardOverride? Pii { get; set; }
    public GuardOverride? Compaction { get; set; }

    internal GuardOverride? For(string guard) => guard switch
    {
        GuardNames.PromptInjection => PromptInjection,
        GuardNames.ContentFilter => ContentFilter,
        GuardNames.Pii => Pii,
        GuardNames.Compaction => Compaction,
        _ => null,
    };
}
