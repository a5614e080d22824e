using System.Collections.Concurrent;
using System.Diagnostics;

namespace Switchboard.IntegrationTests.Chaos;

/// <summary>
/// Drives the load through a <see cref="ChaosGateway"/> phase by phase, with a fixed number of requests in flight, and
/// watches the circuits in the background. Bounded: every request has <see cref="ChaosClient.RequestTimeout"/>, the
/// whole run the caller's token.
/// </summary>
public sealed class ChaosRun(ChaosGateway gateway, int concurrency)
{
    private static readonly TimeSpan s_pollEvery = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentQueue<ChaosOutcome> _outcomes = new();
    private readonly ConcurrentQueue<ChaosBreakerTransition> _transitions = new();
    private readonly long _started = Stopwatch.GetTimestamp();
    private volatile string _phase = "start";
    private int _sequence;

    public IReadOnlyList<ChaosOutcome> Outcomes => [.. _outcomes];
    public IReadOnlyList<ChaosBreakerTransition> Transitions => [.. _transitions];
    public List<(ChaosPhase Phase, double Seconds)> Phases { get; } = [];

    /// <summary>Sends <see cref="ChaosPhase.Requests"/> requests of the shape mix, <c>concurrency</c> at a time.</summary>
    public async Task RunPhaseAsync(ChaosPhase phase, CancellationToken ct)
    {
        _phase = phase.Name;
        var started = Stopwatch.GetTimestamp();
        var first = Interlocked.Add(ref _sequence, phase.Requests) - phase.Requests;
        await Parallel.ForEachAsync(
            Enumerable.Range(first, phase.Requests),
            new ParallelOptions { MaxDegreeOfParallelism = phase.Concurrency ?? concurrency, CancellationToken = ct },
            async (sequence, token) =>
            {
                var shape = ChaosShape.Mix[sequence % ChaosShape.Mix.Count];
                _outcomes.Enqueue(await ChaosClient.SendAsync(gateway.Http, shape, sequence, phase.Name, token));
            });
        Phases.Add((phase, Stopwatch.GetElapsedTime(started).TotalSeconds));
    }

    /// <summary>Polls <c>/admin/health</c> until <paramref name="ct"/> is cancelled, recording every circuit change.</summary>
    public async Task WatchBreakersAsync(CancellationToken ct)
    {
        var last = new Dictionary<string, string>(StringComparer.Ordinal);
        using var timer = new PeriodicTimer(s_pollEvery, TimeProvider.System);
        try
        {
            do
            {
                Dictionary<string, string> now;
                try
                {
                    now = await gateway.CircuitsAsync(ct);
                }
                catch (HttpRequestException)
                {
                    continue;
                }

                foreach (var (deployment, circuit) in now)
                {
                    var before = last.GetValueOrDefault(deployment, "closed");
                    if (before != circuit)
                    {
                        _transitions.Enqueue(new(_phase, Stopwatch.GetElapsedTime(_started).TotalMilliseconds, deployment, before, circuit));
                    }

                    last[deployment] = circuit;
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
