using System.Globalization;
using System.Text;

namespace Switchboard.IntegrationTests.Chaos;

/// <summary>The run's figures as a markdown table (to paste into the README), and the contract's verdict per phase.</summary>
public static class ChaosReport
{
    public static string Markdown(ChaosRun run, IReadOnlyList<Switchboard.Chat.AttemptRecord> attempts)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Phase | Faults | Requests | Succeeded | Cut after content | Clean 502/503 | Failed | Success | Fell back | p50 ms | p99 ms | Seconds |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (phase, seconds) in run.Phases)
        {
            var outcomes = run.Outcomes.Where(o => o.Phase == phase.Name).ToList();
            var expectedGood = phase.AnyProviderHealthy ? ChaosVerdict.Succeeded : ChaosVerdict.CleanFailure;
            var good = outcomes.Count(o => o.Verdict == expectedGood || (phase.CutsAfterContent && o.Verdict == ChaosVerdict.CutAfterContent));
            var latencies = outcomes.Select(o => o.LatencyMs).Order().ToList();
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {phase.Name} | {phase.Faults} | {outcomes.Count} | {Count(outcomes, ChaosVerdict.Succeeded)} | "
                + $"{Count(outcomes, ChaosVerdict.CutAfterContent)} | {Count(outcomes, ChaosVerdict.CleanFailure)} | {Count(outcomes, ChaosVerdict.Failed)} | "
                + $"{(outcomes.Count == 0 ? 0 : 100.0 * good / outcomes.Count):0.0} % | {outcomes.Count(o => o.Attempts > 1)} | "
                + $"{Percentile(latencies, 0.50):0} | {Percentile(latencies, 0.99):0} | {seconds:0.0} |");
        }

        var all = run.Outcomes;
        var total = run.Phases.Sum(p => p.Seconds);
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{all.Count} requests in {total:0.0} s; 'Success' counts a clean 502/503 as the right answer when every provider is down, and a permitted cut after first content as one where cuts are injected.");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Router attempts: {attempts.Count}, of which fallbacks (attempt 2+): {attempts.Count(a => a.AttemptNumber > 1)}.");
        sb.AppendLine();
        sb.AppendLine("Breaker transitions (polled from /admin/health every 200 ms):");
        sb.AppendLine();
        var transitions = run.Transitions;
        if (transitions.Count == 0)
        {
            sb.AppendLine("- none");
        }

        foreach (var group in transitions.GroupBy(t => t.Phase))
        {
            var changes = group.GroupBy(t => $"{t.From} → {t.To}").Select(g => $"{g.Key} ×{g.Count()}");
            var deployments = group.Select(t => t.Deployment).Distinct().Order(StringComparer.Ordinal);
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {group.Key}: {string.Join(", ", changes)} ({string.Join(", ", deployments)})");
        }

        return sb.ToString();
    }

    /// <summary>Requests that break the contract in their phase, with the reason, for the failure message.</summary>
    public static List<string> Violations(ChaosRun run)
    {
        var phases = run.Phases.ToDictionary(p => p.Phase.Name, p => p.Phase);
        return
        [
            .. run.Outcomes
                .Where(o => !Acceptable(phases[o.Phase], o.Verdict))
                .Select(o => $"[{o.Phase}] {o.Shape.Name}: {o.Verdict}, HTTP {o.Status}, {o.Attempts} attempts, provider {o.Provider ?? "-"}, {o.LatencyMs:0} ms: {o.Detail}"),
        ];
    }

    private static bool Acceptable(ChaosPhase phase, ChaosVerdict verdict) => phase.AnyProviderHealthy
        ? verdict == ChaosVerdict.Succeeded || (phase.CutsAfterContent && verdict == ChaosVerdict.CutAfterContent)
        : verdict == ChaosVerdict.CleanFailure;

    private static int Count(List<ChaosOutcome> outcomes, ChaosVerdict verdict) => outcomes.Count(o => o.Verdict == verdict);

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
