using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// The canonical <see cref="ChatOptions.Reasoning"/> effort as Anthropic's settings, for a request that did not come with
/// Anthropic's own (a client's <c>thinking</c> or <c>output_config.effort</c> is sent as it was, and wins). Pure.
/// None is <c>thinking: {type: disabled}</c>. Models of the generation that refuses manual budgets (those the catalog marks
/// as rejecting sampling parameters, and models newer than the catalog) get <c>thinking: {type: adaptive}</c> with
/// <c>output_config.effort</c>; the others <c>thinking: {type: enabled, budget_tokens}</c> with the
/// <see cref="ReasoningEfforts"/> budget, kept below <c>max_tokens</c> (and left out when that leaves under 1,024).
/// </summary>
internal readonly record struct AnthropicReasoning(string? ThinkingType, int? BudgetTokens, string? Effort)
{
    private const int MinimumBudget = 1024;

    /// <summary>Whether the model will think (sampling changes are then refused).</summary>
    public bool Thinks => ThinkingType is "enabled" or "adaptive";

    public static AnthropicReasoning From(ChatOptions options, ModelInfo? model, int maxTokens)
    {
        if (options.Reasoning?.Effort is not { } effort || HasNative(options))
        {
            return default;
        }

        if (effort == ReasoningEffort.None)
        {
            return new("disabled", null, null);
        }

        if (model is null || model.RejectsSamplingParameters)
        {
            return new("adaptive", null, ReasoningEfforts.Name(effort));
        }

        var budget = Math.Min(ReasoningEfforts.BudgetTokens(effort), maxTokens - 1);
        return budget < MinimumBudget ? default : new("enabled", budget, null);
    }

    public void WriteThinking(Utf8JsonWriter w)
    {
        if (ThinkingType is null)
        {
            return;
        }

        w.WriteStartObject("thinking");
        w.WriteString("type", ThinkingType);
        if (BudgetTokens is { } budget)
        {
            w.WriteNumber("budget_tokens", budget);
        }

        w.WriteEndObject();
    }

    // The client's own reasoning fields (even ones this upstream's pass-through rules then drop: a denied field is not re-added).
    private static bool HasNative(ChatOptions options)
    {
        var extra = options.AdditionalProperties;
        if (extra is null)
        {
            return false;
        }

        return extra.ContainsKey(AnthropicRequestMapper.ThinkingKey)
            || extra.ContainsKey(PassThroughKeys.AnthropicFieldPrefix + AnthropicRequestMapper.ThinkingKey)
            || (extra.TryGetValue(PassThroughKeys.AnthropicFieldPrefix + "output_config", out var output)
                && output is JsonElement { ValueKind: JsonValueKind.Object } config && config.TryGetProperty("effort", out _));
    }
}
