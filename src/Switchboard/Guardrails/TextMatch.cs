namespace Switchboard.Guardrails;

/// <summary>A span of text a guard matched: where, what, and (for PII) which kind.</summary>
public readonly record struct TextMatch(int Index, int Length, string Label)
{
    public int End => Index + Length;
}
