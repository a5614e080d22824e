using Microsoft.Extensions.AI;

namespace Switchboard.Chat;

/// <summary>Which deployment answered a request, after which attempts, at what cost. Attached to the response.</summary>
public sealed class RoutingResult
{
    private AttemptRecord[] _attempts = [];
    private int _started;

    public required string RequestId { get; init; }
    public string? Route { get; init; }
    public string? Task { get; init; }

    /// <summary>The deployment that answered (set when its first output arrived).</summary>
    public Deployment? Deployment { get; internal set; }

    /// <summary>Why this deployment came first: the policy and task that ordered the plan.</summary>
    public string? Reason { get; internal set; }

    public UsageDetails? Usage { get; internal set; }
    public decimal? CostUsd { get; internal set; }

    /// <summary>Time spent waiting on providers, to separate Switchboard's own overhead.</summary>
    public TimeSpan UpstreamTime { get; internal set; }

    /// <summary>The attempts recorded so far, in order: a snapshot that later attempts do not change.</summary>
    /// <remarks>Copied on write (a request has one or a few attempts and reads them several times), so reading is free.</remarks>
    public IReadOnlyList<AttemptRecord> Attempts => Volatile.Read(ref _attempts);

    /// <summary>Attempts started so far, the one still running included (a stream's answering attempt is recorded only when it ends).</summary>
    public int AttemptCount => Volatile.Read(ref _started);

    /// <summary>Counts a started attempt; returns its number (1-based).</summary>
    internal int StartAttempt() => Interlocked.Increment(ref _started);

    internal void Add(AttemptRecord attempt)
    {
        // Lock-free copy on write: hedged attempts may end at once on two threads.
        while (true)
        {
            var current = Volatile.Read(ref _attempts);
            if (Interlocked.CompareExchange(ref _attempts, [.. current, attempt], current) == current)
            {
                return;
            }
        }
    }
}
