using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Switchboard.Guardrails;

/// <summary>Validates <c>Switchboard:Guardrails</c> as a whole and reports every error at once, each naming its key.</summary>
internal sealed class GuardrailOptionsValidator : IValidateOptions<GuardrailOptions>
{
    private const string Key = GuardrailOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, GuardrailOptions options)
    {
        var errors = new List<string>();
        foreach (var guard in GuardNames.All)
        {
            CheckAction(errors, $"{Key}:{guard}:Action", guard, options.Guard(guard).Action);
        }

        CheckThreshold(errors, $"{Key}:PromptInjection:Threshold", options.PromptInjection.Threshold);
        foreach (var (scope, overrides) in options.Routes.Select(kv => ($"Routes:{kv.Key}", kv.Value))
                     .Concat(options.Keys.Select(kv => ($"Keys:{kv.Key}", kv.Value))))
        {
            foreach (var guard in GuardNames.All)
            {
                if (overrides?.For(guard) is { } o)
                {
                    if (o.Action is not null)
                    {
                        CheckAction(errors, $"{Key}:{scope}:{guard}:Action", guard, o.Action);
                    }

                    if (o.Threshold is { } t)
                    {
                        CheckThreshold(errors, $"{Key}:{scope}:{guard}:Threshold", t);
                    }
                }
            }
        }

        var content = options.ContentFilter;
        foreach (var category in content.Categories ?? [])
        {
            if (!ContentCategories.All.ContainsKey(category))
            {
                errors.Add($"{Key}:ContentFilter:Categories: '{category}' is not one of {string.Join(", ", ContentCategories.All.Keys)}.");
            }
        }

        CheckPatterns(errors, $"{Key}:ContentFilter:InputPatterns", content.InputPatterns);
        CheckPatterns(errors, $"{Key}:ContentFilter:OutputPatterns", content.OutputPatterns);
        var moderation = content.Moderation;
        if (moderation.Enabled && !Uri.TryCreate(moderation.BaseUrl, UriKind.Absolute, out _))
        {
            errors.Add($"{Key}:ContentFilter:Moderation:BaseUrl: an absolute URL is required when moderation is enabled.");
        }

        if (moderation.TimeoutSeconds <= 0)
        {
            errors.Add($"{Key}:ContentFilter:Moderation:TimeoutSeconds: must be positive.");
        }

        foreach (var kind in options.Pii.Kinds ?? [])
        {
            if (!Enum.TryParse<PiiKind>(kind, ignoreCase: true, out _) || int.TryParse(kind, out _))
            {
                errors.Add($"{Key}:Pii:Kinds: '{kind}' is not one of {string.Join(", ", Enum.GetNames<PiiKind>())}.");
            }
        }

        if (options.StreamLookBehindChars is < 16 or > 4096)
        {
            errors.Add($"{Key}:StreamLookBehindChars: must be between 16 and 4096.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckAction(List<string> errors, string key, string guard, string? action)
    {
        var allowed = GuardrailActions.For(guard);
        if (action is null || !allowed.Contains(action.ToLowerInvariant()))
        {
            errors.Add($"{key}: '{action}' is not one of {string.Join(", ", allowed)}.");
        }
    }

    private static void CheckThreshold(List<string> errors, string key, double threshold)
    {
        if (threshold is <= 0 or > 1 || double.IsNaN(threshold))
        {
            errors.Add($"{key}: must be greater than 0 and at most 1.");
        }
    }

    private static void CheckPatterns(List<string> errors, string key, List<string> patterns)
    {
        for (var i = 0; i < patterns.Count; i++)
        {
            try
            {
                _ = ContentFilter.Compile(patterns[i]);
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{key}:{i}: not a valid regular expression ({ex.Message}).");
            }
        }
    }
}
