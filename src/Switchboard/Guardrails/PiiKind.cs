namespace Switchboard.Guardrails;

/// <summary>The kinds of personal data and secrets the PII guard finds.</summary>
public enum PiiKind
{
    Email,
    Phone,
    Card,
    Iban,
    /// <summary>A US Social Security number (dashed, with the SSA's validity rules).</summary>
    Ssn,
    IpAddress,
    /// <summary>An API key shaped secret (OpenAI, Anthropic, Google, GitHub, Slack, AWS).</summary>
    Secret,
}
