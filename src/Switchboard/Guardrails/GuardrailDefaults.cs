namespace Switchboard.Guardrails;

/// <summary>Default values of the guardrail options.</summary>
public static class GuardrailDefaults
{
    public const double InjectionThreshold = 0.5;
    public const string ModerationModel = "omni-moderation-latest";
    public const int ModerationTimeoutSeconds = 10;
    /// <summary>Characters of a streamed answer held back so a match split across chunks is still caught.</summary>
    public const int StreamLookBehindChars = 128;
    public const string ModerationHttpClient = "switchboard.moderation";
}
