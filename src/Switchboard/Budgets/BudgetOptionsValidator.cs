using Microsoft.Extensions.Options;
using Switchboard.Ledger;

namespace Switchboard.Budgets;

/// <summary>Validates <c>Switchboard:Budgets</c> at start-up, every error at once, each naming its key.</summary>
internal sealed class BudgetOptionsValidator : IValidateOptions<BudgetOptions>
{
    public ValidateOptionsResult Validate(string? name, BudgetOptions options)
    {
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Budgets.Count; i++)
        {
            var b = options.Budgets[i];
            var key = $"Switchboard:Budgets:{i}";
            if (string.IsNullOrWhiteSpace(b.Name))
            {
                errors.Add($"{key}:Name: required.");
            }
            else if (!names.Add(b.Name))
            {
                errors.Add($"{key}:Name: '{b.Name}' is used by another budget.");
            }

            if (b.Scope.ToLowerInvariant() is not ("global" or "key" or "route" or "model"))
            {
                errors.Add($"{key}:Scope: '{b.Scope}' is not one of global, key, route, model.");
            }
            else if (b.ScopeKind != BudgetScopeKind.Global && string.IsNullOrWhiteSpace(b.Target))
            {
                errors.Add($"{key}:Target: required for scope {b.Scope}.");
            }

            if (!BudgetWindows.All.Contains(b.Window.ToLowerInvariant()))
            {
                errors.Add($"{key}:Window: '{b.Window}' is not one of {string.Join(", ", BudgetWindows.All)}.");
            }

            if (b.LimitUsd <= 0)
            {
                errors.Add($"{key}:LimitUsd: must be greater than 0.");
            }

            if (b.AlertThresholds?.Any(t => t <= 0 || t > 10) == true)
            {
                errors.Add($"{key}:AlertThresholds: each must be a fraction of the limit, greater than 0 (1.0 = 100 %).");
            }

            if (b.WebhookUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
            {
                errors.Add($"{key}:WebhookUrl: '{url}' must be an absolute http(s) URL.");
            }
        }

        if (options.WebhookMaxAttempts < 1)
        {
            errors.Add("Switchboard:Budgets: WebhookMaxAttempts must be at least 1.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
