namespace Switchboard.Guardrails;

/// <summary>The guards' names: their configuration sections, their names in errors, headers and metrics.</summary>
public static class GuardNames
{
    public const string PromptInjection = "PromptInjection";
    public const string ContentFilter = "ContentFilter";
    public const string Pii = "Pii";
    public const string Compaction = "Compaction";

    public static IReadOnlyList<string> All { get; } = [PromptInjection, ContentFilter, Pii, Compaction];
}
