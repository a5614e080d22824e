namespace Switchboard.Guardrails;

/// <summary><c>Switchboard:Guardrails:ContentFilter:Moderation</c>: an OpenAI-compatible moderation endpoint.</summary>
public sealed class ModerationOptions
{
    public bool Enabled { get; set; }

    /// <summary>Root URL; <c>v1/moderations</c> is appended (<c>https://api.openai.com/</c>).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Bearer key; never logged.</summary>
    public string? ApiKey { get; set; }

    public string Model { get; set; } = GuardrailDefaults.ModerationModel;

    public int TimeoutSeconds { get; set; } = GuardrailDefaults.ModerationTimeoutSeconds;

    /// <summary>When the moderation call fails: true lets the request through (and logs), false refuses it.</summary>
    public bool FailOpen { get; set; } = true;
}
