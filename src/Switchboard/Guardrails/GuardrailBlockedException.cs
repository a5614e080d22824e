using Switchboard.Chat;

namespace Switchboard.Guardrails;

/// <summary>A guard refused the request (stage <c>input</c>) or cut the answer (stage <c>output</c>). The message names the guard and never quotes the text.</summary>
public sealed class GuardrailBlockedException : RequestRefusedException
{
    public GuardrailBlockedException(string guard, string stage, string reason)
        : base(GuardrailLedger.Provider, guard, "blocked", 400, ProviderErrorKind.ContentFiltered, $"Blocked by the {guard} guardrail ({stage}): {reason}.")
    {
        Guard = guard;
        Stage = stage;
        Reason = reason;
    }

    public GuardrailBlockedException()
        : this("unknown", "input", "blocked")
    {
    }

    public GuardrailBlockedException(string message)
        : this("unknown", "input", message)
    {
    }

    public GuardrailBlockedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Guard = "unknown";
        Stage = "input";
        Reason = message;
    }

    /// <summary>The guard's name (<see cref="GuardNames"/>).</summary>
    public string Guard { get; }

    /// <summary><c>input</c> or <c>output</c>.</summary>
    public string Stage { get; }

    public string Reason { get; }
}
