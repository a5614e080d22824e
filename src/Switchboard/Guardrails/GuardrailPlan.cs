using Switchboard.Chat;

namespace Switchboard.Guardrails;

/// <summary>The actions in force for one request: the global ones, overridden by the route's, overridden by the key's.</summary>
internal sealed record GuardrailPlan(string Injection, double Threshold, string Content, string Pii, string Compaction)
{
    public bool AnyInput => Injection != GuardrailActions.Off || Content != GuardrailActions.Off || Pii != GuardrailActions.Off ||
        Compaction != GuardrailActions.Off;

    /// <summary>Every guard off for this request: the layer passes it through untouched, allocating nothing.</summary>
    public bool AllOff => !AnyInput;

    /// <param name="options">The guardrails' settings.</param>
    /// <param name="route">The requested model or alias, whose overrides apply.</param>
    /// <param name="context">The request's context, whose caller's key overrides apply.</param>
    public static GuardrailPlan Resolve(GuardrailOptions options, string? route, SwitchboardContext context)
    {
        var key = context.Caller?.KeyId;
        GuardrailOverrides? byRoute = route is not null && options.Routes.TryGetValue(route, out var r) ? r : null;
        GuardrailOverrides? byKey = key is not null && options.Keys.TryGetValue(key, out var k) ? k : null;

        if (byRoute is null && byKey is null)
        {
            return Global(options);
        }

        string Action(string guard) =>
            byKey?.For(guard)?.Action ?? byRoute?.For(guard)?.Action ?? options.Guard(guard).Action;

        var threshold = byKey?.PromptInjection?.Threshold ?? byRoute?.PromptInjection?.Threshold ?? options.PromptInjection.Threshold;
        return new GuardrailPlan(
            Action(GuardNames.PromptInjection).ToLowerInvariant(), threshold,
            Action(GuardNames.ContentFilter).ToLowerInvariant(),
            Action(GuardNames.Pii).ToLowerInvariant(),
            Action(GuardNames.Compaction).ToLowerInvariant());
    }

    // The plan of a request with no route or key override, kept: the same for every such request until the options change.
    private static GlobalPlan? s_global;

    private static GuardrailPlan Global(GuardrailOptions options)
    {
        var cached = Volatile.Read(ref s_global);
        if (cached is not null && cached.Matches(options))
        {
            return cached.Plan;
        }

        var plan = new GuardrailPlan(options.PromptInjection.Action.ToLowerInvariant(), options.PromptInjection.Threshold,
            options.ContentFilter.Action.ToLowerInvariant(), options.Pii.Action.ToLowerInvariant(), options.Compaction.Action.ToLowerInvariant());
        Volatile.Write(ref s_global, new GlobalPlan(options, options.PromptInjection.Action, options.PromptInjection.Threshold,
            options.ContentFilter.Action, options.Pii.Action, options.Compaction.Action, plan));
        return plan;
    }

    /// <summary>A global plan and what it was made from (compared by reference: options changed since make a new one).</summary>
    private sealed record GlobalPlan(GuardrailOptions Options, string Injection, double Threshold, string Content, string Pii, string Compaction,
        GuardrailPlan Plan)
    {
        public bool Matches(GuardrailOptions options) =>
            ReferenceEquals(Options, options) && ReferenceEquals(Injection, options.PromptInjection.Action) &&
            Threshold.Equals(options.PromptInjection.Threshold) && ReferenceEquals(Content, options.ContentFilter.Action) &&
            ReferenceEquals(Pii, options.Pii.Action) && ReferenceEquals(Compaction, options.Compaction.Action);
    }
}
