namespace Switchboard.Guardrails;

/// <summary><c>Switchboard:Guardrails:Pii</c>: personal data and secrets in prompts.</summary>
public sealed class PiiOptions : GuardOptions
{
    /// <summary>Kinds to detect (<see cref="PiiKind"/> names); null means all.</summary>
    public List<string>? Kinds { get; set; }

    /// <summary>With <c>redact</c>: put the originals back into the answer where the model repeats a placeholder. On by default.</summary>
    public bool Restore { get; set; } = true;
}
