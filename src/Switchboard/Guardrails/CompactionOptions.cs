namespace Switchboard.Guardrails;

/// <summary><c>Switchboard:Guardrails:Compaction</c>: token-saving rewrites of the prompt; off by default.</summary>
public sealed class CompactionOptions : GuardOptions
{
    /// <summary>Drop a paragraph that repeats, exactly, one seen earlier in the request. On by default.</summary>
    public bool RemoveDuplicateBlocks { get; set; } = true;

    /// <summary>Replace long phrases by abbreviations (changes wording, so only when asked).</summary>
    public bool Abbreviations { get; set; }
}
