namespace Switchboard.Ledger;

/// <summary>The values of <see cref="LedgerRecord.Outcome"/>.</summary>
public static class LedgerOutcomes
{
    public const string Success = "success";
    public const string Error = "error";
    /// <summary>The client went away; never counted as a provider error.</summary>
    public const string Cancelled = "cancelled";
    /// <summary>Not sent: a rate limit or an open circuit turned the attempt away.</summary>
    public const string Skipped = "skipped";
    /// <summary>A guardrail refused the request or cut the answer (provider <c>guardrails</c>, model = the guard's name).</summary>
    public const string Blocked = "blocked";
    /// <summary>Guardrails flagged or redacted something and let the request through (provider <c>guardrails</c>, model = the guards).</summary>
    public const string Flagged = "flagged";
    /// <summary>A budget refused the request before it was routed (provider <c>budgets</c>, model = the budget's name).</summary>
    public const string Refused = "refused";
}
