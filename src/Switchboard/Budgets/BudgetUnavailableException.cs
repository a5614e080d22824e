namespace Switchboard.Budgets;

/// <summary>A budget applies to the request but its counter cannot be reached (the database is down): the request is
/// refused rather than let through unmetered.</summary>
public sealed class BudgetUnavailableException : Exception
{
    public BudgetUnavailableException()
    {
    }

    public BudgetUnavailableException(string message) : base(message)
    {
    }

    public BudgetUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
