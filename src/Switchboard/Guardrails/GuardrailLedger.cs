namespace Switchboard.Guardrails;

/// <summary>How a guardrail block appears in the ledger.</summary>
public static class GuardrailLedger
{
    /// <summary>The provider column of a block's row; its model column is the guard's name.</summary>
    public const string Provider = "guardrails";
}
