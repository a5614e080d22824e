namespace Switchboard.Guardrails;

/// <summary>A per-route or per-key override of one guard.</summary>
public sealed class GuardOverride
{
    public string? Action { get; set; }

    /// <summary>PromptInjection only: its threshold.</summary>
    public double? Threshold { get; set; }
}
