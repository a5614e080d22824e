namespace Switchboard.Guardrails;

/// <summary>How guardrail events appear in the ledger: one row, attempt 0, beside the router's attempts.</summary>
public static class GuardrailLedger
{
    /// <summary>The provider column of a guardrail row (attempt 0): a block (model = the guard) or a flag (model = the guards).</summary>
    public const string Provider = "guardrails";
}
