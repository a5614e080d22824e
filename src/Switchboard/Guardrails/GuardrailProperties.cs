using Microsoft.Extensions.AI;

namespace Switchboard.Guardrails;

/// <summary>What the guardrails report on a response (or a stream's first update), in its additional properties.</summary>
public static class GuardrailProperties
{
    /// <summary>The guards that flagged or redacted something, comma-separated (<c>PromptInjection,Pii</c>).</summary>
    public const string Triggered = "switchboard.guardrails";

    /// <summary>Input tokens saved by compaction (<c>long</c>), as counted by the token estimator.</summary>
    public const string CompactionSavedTokens = "switchboard.compaction.saved_tokens";

    /// <summary>The guards that flagged or redacted something in this response.</summary>
    public static string? GetTriggeredGuardrails(this ChatResponse response) =>
        response.AdditionalProperties?.TryGetValue(Triggered, out var v) == true ? v as string : null;
}
