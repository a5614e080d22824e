using System.Diagnostics;
using Microsoft.Extensions.AI;
using Switchboard.Telemetry;

namespace Switchboard.Guardrails;

/// <summary>One request's pass through the guardrails: its plan, what triggered, its placeholders and its token savings.</summary>
internal sealed class GuardrailRun(GuardrailPlan plan, string? route)
{
    private readonly SortedSet<string> _triggered = new(StringComparer.Ordinal);
    private readonly HashSet<(string, string, string)> _counted = [];

    public GuardrailPlan Plan { get; } = plan;
    public PiiVault Vault { get; } = new();
    public long? SavedTokens { get; set; }

    /// <summary>Counts a trigger once per (guard, action, stage); remembers non-blocking ones for the response header.</summary>
    public void Triggered(string guard, string action, string stage)
    {
        if (action != GuardrailActions.Block)
        {
            lock (_triggered)
            {
                _triggered.Add(guard);
            }
        }

        if (_counted.Add((guard, action, stage)))
        {
            SwitchboardTelemetry.GuardrailsTriggered.Add(1, new TagList
            {
                { "switchboard.guardrail", guard }, { "switchboard.guardrail.action", action }, { "switchboard.guardrail.stage", stage },
            });
        }
    }

    public void RecordSavings(long saved)
    {
        SavedTokens = saved;
        if (saved > 0)
        {
            SwitchboardTelemetry.CompactionSavedTokens.Add(saved, new KeyValuePair<string, object?>("switchboard.route", route ?? ""));
        }
    }

    /// <summary>Writes what triggered and the savings into a response's (or update's) properties.</summary>
    public AdditionalPropertiesDictionary? Annotate(AdditionalPropertiesDictionary? properties)
    {
        if (_triggered.Count == 0 && SavedTokens is null)
        {
            return properties;
        }

        var copy = properties is null ? [] : new AdditionalPropertiesDictionary(properties);
        if (_triggered.Count > 0)
        {
            copy[GuardrailProperties.Triggered] = string.Join(',', _triggered);
        }

        if (SavedTokens is { } saved)
        {
            copy[GuardrailProperties.CompactionSavedTokens] = saved;
        }

        return copy;
    }
}
