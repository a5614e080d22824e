using Switchboard.Chat;

namespace Switchboard.Budgets;

/// <summary>A request was refused: its worst-case cost would take a budget past its limit (ledger: provider <c>budgets</c>,
/// model = the budget's name, outcome <c>refused</c>).</summary>
public sealed class BudgetExceededException : RequestRefusedException
{
    /// <summary>The provider column of a budget refusal's ledger row.</summary>
    public const string LedgerProvider = "budgets";

    public BudgetExceededException()
    {
        BudgetName = "";
    }

    public BudgetExceededException(string message) : base(message)
    {
        BudgetName = "";
    }

    public BudgetExceededException(string message, Exception innerException) : base(message, innerException)
    {
        BudgetName = "";
    }

    public BudgetExceededException(string budgetName, decimal limitUsd, decimal spentUsd)
        : base(LedgerProvider, budgetName, "refused", 402, ProviderErrorKind.QuotaExceeded,
            $"Budget '{budgetName}' would be exceeded: {spentUsd} of {limitUsd} USD spent or reserved.")
    {
        BudgetName = budgetName;
        LimitUsd = limitUsd;
        SpentUsd = spentUsd;
    }

    public string BudgetName { get; }
    public decimal LimitUsd { get; }
    /// <summary>Spent plus reserved by requests in flight, when the request was refused.</summary>
    public decimal SpentUsd { get; }
}
