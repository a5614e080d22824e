using Switchboard.Chat;

namespace Switchboard.Budgets;

/// <summary>What a request is, for budgets: its virtual key id, route, requested model (each null when unknown) and the
/// deployments that may serve it.</summary>
public sealed record BudgetScopeSet(string? KeyId, string? Route, string? Model, IReadOnlyList<Deployment>? Deployments = null)
{
    /// <summary>
    /// Whether the request may be served by <paramref name="model"/>: the requested name, or a candidate deployment's model
    /// (<c>gpt-4.1</c>) or name (<c>openai/gpt-4.1</c>), the same two columns the budget's spend is summed over.
    /// </summary>
    public bool MayUse(string? model)
    {
        if (model is null)
        {
            return false;
        }

        if (string.Equals(Model, model, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var deployment in Deployments ?? [])
        {
            if (string.Equals(deployment.Model, model, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(deployment.Name, model, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
