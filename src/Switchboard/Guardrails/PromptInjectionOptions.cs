namespace Switchboard.Guardrails;

/// <summary><c>Switchboard:Guardrails:PromptInjection</c>: the injection scorer over user messages and tool results.</summary>
public sealed class PromptInjectionOptions : GuardOptions
{
    public PromptInjectionOptions() => Action = GuardrailActions.Flag;

    /// <summary>Score (0–1) at or above which a text counts as an injection.</summary>
    public double Threshold { get; set; } = GuardrailDefaults.InjectionThreshold;

    /// <summary>Also score tool results (indirect injection). On by default.</summary>
    public bool ScanToolResults { get; set; } = true;
}
