using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Guardrails;

/// <summary>The actions in force for one request: the global ones, overridden by the route's, overridden by the key's.</summary>
internal sealed record GuardrailPlan(string Injection, double Threshold, string Content, string Pii, string Compaction)
{
    public bool AnyInput => Injection != GuardrailActions.Off || Content != GuardrailActions.Off || Pii != GuardrailActions.Off ||
        Compaction != GuardrailActions.Off;

    /// <summary>Every guard off for this request: the layer passes it through untouched, allocating nothing.</summary>
    public bool AllOff => !AnyInput;

    public static GuardrailPlan Resolve(GuardrailOptions options, ChatOptions? chat, SwitchboardContext context)
    {
        var route = chat?.ModelId;
        var key = context.Caller?.KeyId;
        GuardrailOverrides? byRoute = route is not null && options.Routes.TryGetValue(route, out var r) ? r : null;
        GuardrailOverrides? byKey = key is not null && options.Keys.TryGetValue(key, out var k) ? k : null;

        string Action(string guard) =>
            byKey?.For(guard)?.Action ?? byRoute?.For(guard)?.Action ?? options.Guard(guard).Action;

        var threshold = byKey?.PromptInjection?.Threshold ?? byRoute?.PromptInjection?.Threshold ?? options.PromptInjection.Threshold;
        return new GuardrailPlan(
            Action(GuardNames.PromptInjection).ToLowerInvariant(), threshold,
            Action(GuardNames.ContentFilter).ToLowerInvariant(),
            Action(GuardNames.Pii).ToLowerInvariant(),
            Action(GuardNames.Compaction).ToLowerInvariant());
    }
}
