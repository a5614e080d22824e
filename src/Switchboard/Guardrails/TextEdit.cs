namespace Switchboard.Guardrails;

/// <summary>A replacement of one span of text.</summary>
internal readonly record struct TextEdit(int Index, int Length, string Replacement)
{
    public int End => Index + Length;
}
