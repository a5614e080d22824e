namespace Switchboard.Guardrails;

/// <summary>The injection score of one text (0–1, noisy-OR of the signals found) and the signals' names.</summary>
public sealed record InjectionAssessment(double Score, IReadOnlyList<string> Signals)
{
    public static InjectionAssessment None { get; } = new(0, []);
}
