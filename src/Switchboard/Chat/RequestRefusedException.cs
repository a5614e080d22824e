namespace Switchboard.Chat;

/// <summary>
/// A layer of the pipeline refused the request by rule (a guardrail, a budget) rather than failed: the ledger records it
/// as attempt 0 of the request, with <see cref="Refuser"/> in the provider column and <see cref="Rule"/> in the model column.
/// </summary>
public abstract class RequestRefusedException : Exception
{
    protected RequestRefusedException(string refuser, string rule, string outcome, int statusCode, ProviderErrorKind kind, string message)
        : base(message)
    {
        Refuser = refuser;
        Rule = rule;
        Outcome = outcome;
        StatusCode = statusCode;
        Kind = kind;
    }

    protected RequestRefusedException()
        : this("unknown", "unknown", "refused", 400, ProviderErrorKind.InvalidRequest, "The request was refused.")
    {
    }

    protected RequestRefusedException(string message)
        : this("unknown", "unknown", "refused", 400, ProviderErrorKind.InvalidRequest, message)
    {
    }

    protected RequestRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Refuser = "unknown";
        Rule = "unknown";
        Outcome = "refused";
        StatusCode = 400;
        Kind = ProviderErrorKind.InvalidRequest;
    }

    /// <summary>What refused: <c>guardrails</c>, <c>budgets</c>.</summary>
    public string Refuser { get; }

    /// <summary>Which of its rules: the guard's name, the budget's name.</summary>
    public string Rule { get; }

    /// <summary>The ledger outcome of the refusal: <c>blocked</c> (a guardrail), <c>refused</c> (a budget).</summary>
    public string Outcome { get; }

    /// <summary>The HTTP status the gateway answers with.</summary>
    public int StatusCode { get; }

    /// <summary>The error kind recorded in the ledger.</summary>
    public ProviderErrorKind Kind { get; }
}
