namespace Switchboard.Guardrails;

/// <summary>What a guard does when it triggers; the values of <c>Switchboard:Guardrails:&lt;Guard&gt;:Action</c>.</summary>
public static class GuardrailActions
{
    /// <summary>Refuse the request (or cut the answer) with an error that names the guard.</summary>
    public const string Block = "block";
    /// <summary>Replace what matched and go on.</summary>
    public const string Redact = "redact";
    /// <summary>Let it through; record it (metric, <c>x-switchboard-guardrails</c> header).</summary>
    public const string Flag = "flag";
    /// <summary>The guard does not run.</summary>
    public const string Off = "off";
    /// <summary>Compaction only: rewrite the prompt to save tokens.</summary>
    public const string Compact = "compact";

    /// <summary>The actions each guard accepts (Compaction: <c>flag</c> measures the savings without changing the prompt).</summary>
    public static IReadOnlyList<string> For(string guard) => guard == GuardNames.Compaction
        ? [Compact, Flag, Off]
        : [Block, Redact, Flag, Off];
}
