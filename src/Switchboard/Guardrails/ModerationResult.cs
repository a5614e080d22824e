namespace Switchboard.Guardrails;

/// <summary>A moderation endpoint's verdict: flagged, and the categories it flagged.</summary>
public sealed record ModerationResult(bool Flagged, IReadOnlyList<string> Categories);
