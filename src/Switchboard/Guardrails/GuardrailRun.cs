using System.Diagnostics;
using Switchboard.Chat;
using Switchboard.Telemetry;

namespace Switchboard.Guardrails;

/// <summary>One request's pass through the guardrails: its plan, its placeholders, and what it reports to the request's context.</summary>
internal sealed class GuardrailRun(GuardrailPlan plan, string? route, SwitchboardContext context)
{
    private HashSet<(string, string, string)>? _counted;
    private PiiVault? _vault;

    public GuardrailPlan Plan { get; } = plan;

    /// <summary>The request's PII placeholders (created on first redaction).</summary>
    public PiiVault Vault => _vault ??= new PiiVault();

    /// <summary>Whether any placeholder was made.</summary>
    public bool HasPlaceholders => _vault is { Count: > 0 };

    /// <summary>Counts a trigger once per (guard, action, stage); a non-blocking one is reported in the context.</summary>
    public void Triggered(string guard, string action, string stage)
    {
        if (action != GuardrailActions.Block)
        {
            context.AddGuardrail(guard);
        }

        if ((_counted ??= []).Add((guard, action, stage)))
        {
            SwitchboardTelemetry.GuardrailsTriggered.Add(1, new TagList
            {
                { "switchboard.guardrail", guard }, { "switchboard.guardrail.action", action }, { "switchboard.guardrail.stage", stage },
            });
        }
    }

    /// <summary>Reports what compaction removed (or would remove); <paramref name="compactedTokens"/> is the prompt's new count when applied.</summary>
    public void RecordSavings(long saved, long? compactedTokens)
    {
        context.CompactionSavedTokens = saved;
        if (compactedTokens is { } tokens)
        {
            context.SetInputTokens(tokens);
        }

        if (saved > 0)
        {
            SwitchboardTelemetry.CompactionSavedTokens.Add(saved, new KeyValuePair<string, object?>("switchboard.route", route ?? ""));
        }
    }
}
