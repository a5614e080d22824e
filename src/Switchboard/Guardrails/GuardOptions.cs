namespace Switchboard.Guardrails;

/// <summary>What every guard is configured with: its action.</summary>
public abstract class GuardOptions
{
    /// <summary>One of <see cref="GuardrailActions.For"/> for this guard.</summary>
    public string Action { get; set; } = GuardrailActions.Off;
}
