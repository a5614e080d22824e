namespace Switchboard.Budgets;

/// <summary>The budgets (bound from the list at <c>Switchboard:Budgets</c>) and how alerts are delivered.</summary>
public sealed class BudgetOptions
{
    public List<BudgetDefinition> Budgets { get; } = [];

    /// <summary>How many times a webhook POST is tried before the alert is given up (logged).</summary>
    public int WebhookMaxAttempts { get; set; } = 5;

    /// <summary>The delay before the second try; doubled for each further one.</summary>
    public TimeSpan WebhookRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a request's hold lasts at most when the counter is shared (PostgreSQL): longer than any request,
    /// short enough that a replica that died mid-request does not hold budget for long.</summary>
    public TimeSpan HoldTimeout { get; set; } = TimeSpan.FromMinutes(15);
}
