using System.Collections.Concurrent;
using Switchboard.Chat;

namespace Switchboard.Resilience;

/// <summary>
/// Measures each deployment from the attempts the router reports: moving averages of latency and time to first token,
/// recent success rate and the last error. Read by the lowest-latency policy, the gateway and the dashboard. Keyed by
/// <see cref="Deployment.StateKey"/>, so unlisted models share one entry per provider.
/// </summary>
public sealed class HealthTracker : IAttemptObserver
{
    /// <summary>Weight of the newest sample in the moving averages.</summary>
    private const double Alpha = 0.2;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many deployments have an entry, for tests and diagnostics.</summary>
    internal int Count => _entries.Count;

    public void OnAttempt(AttemptRecord attempt)
    {
        if (attempt.Outcome is AttemptOutcome.Cancelled or AttemptOutcome.Skipped)
        {
            return;
        }

        var entry = _entries.GetOrAdd(attempt.Deployment.StateKey, _ => new Entry());
        lock (entry)
        {
            entry.Requests++;
            var success = attempt.Outcome == AttemptOutcome.Success;
            entry.SuccessRate = entry.Requests == 1 ? (success ? 1 : 0) : Ewma(entry.SuccessRate, success ? 1 : 0);
            if (success)
            {
                entry.Recent[entry.RecentCount++ % entry.Recent.Length] = attempt.Duration.TotalMilliseconds;
                entry.LatencyMs = entry.LatencyMs is { } l ? Ewma(l, attempt.Duration.TotalMilliseconds) : attempt.Duration.TotalMilliseconds;
                if (attempt.TimeToFirstToken is { } ttft)
                {
                    entry.TtftMs = entry.TtftMs is { } t ? Ewma(t, ttft.TotalMilliseconds) : ttft.TotalMilliseconds;
                }
            }
            else
            {
                entry.Failures++;
                entry.LastErrorKind = attempt.ErrorKind;
                entry.LastError = attempt.ErrorMessage;
                entry.LastErrorAt = attempt.StartedAt + attempt.Duration;
            }
        }
    }

    /// <summary>The measured latency of a deployment (time to first token for streams when known), or null before any success.</summary>
    public double? LatencyOf(string deployment)
    {
        if (!_entries.TryGetValue(deployment, out var entry))
        {
            return null;
        }

        lock (entry)
        {
            return entry.TtftMs is { } ttft && entry.LatencyMs is { } latency ? Math.Min(ttft, latency) : entry.LatencyMs ?? entry.TtftMs;
        }
    }

    /// <summary>The 95th percentile of the deployment's last successful call durations, once at least
    /// <see cref="MinimumSamplesForP95"/> were seen; null before.</summary>
    public TimeSpan? P95Of(string deployment)
    {
        if (!_entries.TryGetValue(deployment, out var entry))
        {
            return null;
        }

        double[] samples;
        lock (entry)
        {
            if (entry.RecentCount < MinimumSamplesForP95)
            {
                return null;
            }

            samples = entry.Recent[..Math.Min(entry.RecentCount, entry.Recent.Length)];
        }

        Array.Sort(samples);
        return TimeSpan.FromMilliseconds(samples[(int)Math.Ceiling(0.95 * samples.Length) - 1]);
    }

    /// <summary>Successful calls needed before <see cref="P95Of"/> answers.</summary>
    public const int MinimumSamplesForP95 = 20;

    internal DeploymentHealth Snapshot(Deployment deployment, string circuit, long? requestsHeadroom, long? tokensHeadroom)
    {
        var entry = _entries.GetOrAdd(deployment.StateKey, _ => new Entry());
        lock (entry)
        {
            return new DeploymentHealth
            {
                Deployment = deployment.Name,
                Provider = deployment.Provider,
                Model = deployment.Model,
                Circuit = circuit,
                Requests = entry.Requests,
                Failures = entry.Failures,
                SuccessRate = Math.Round(entry.SuccessRate, 4),
                LatencyMs = entry.LatencyMs is { } l ? Math.Round(l, 2) : null,
                TimeToFirstTokenMs = entry.TtftMs is { } t ? Math.Round(t, 2) : null,
                RequestsHeadroom = requestsHeadroom,
                TokensHeadroom = tokensHeadroom,
                LastErrorKind = entry.LastErrorKind,
                LastError = entry.LastError,
                LastErrorAt = entry.LastErrorAt,
            };
        }
    }

    private static double Ewma(double current, double sample) => current + (Alpha * (sample - current));

    private sealed class Entry
    {
        public long Requests;
        public long Failures;
        public double SuccessRate = 1;
        public double? LatencyMs;
        public double? TtftMs;
        public ProviderErrorKind? LastErrorKind;
        public string? LastError;
        public DateTimeOffset? LastErrorAt;
        /// <summary>The last successful durations (ms), a ring.</summary>
        public readonly double[] Recent = new double[200];
        public int RecentCount;
    }
}
