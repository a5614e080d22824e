namespace Switchboard.Budgets;

/// <summary>One budget in one window, in this process: the spend the store had when the window was first used, what
/// settled since, and what requests in flight hold. Guarded by locking the instance.</summary>
internal sealed class BudgetState(BudgetDefinition budget, DateTimeOffset windowStart, decimal baseline)
{
    public BudgetDefinition Budget => budget;
    public DateTimeOffset WindowStart => windowStart;
    public decimal Baseline => baseline;
    public decimal Settled { get; set; }
    public decimal Reserved { get; set; }
    public decimal Spent => baseline + Settled;
}
