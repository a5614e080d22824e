using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Switchboard.LoadGen;

/// <summary>
/// Holds N streams open at once for a while: N workers each stream, read to the end, and start again until the time is
/// up. Reports streams completed and failed and the time to first token under that load.
/// </summary>
internal static class StreamHold
{
    public static async Task<string> RunAsync(LoadTarget target, int streams, double seconds, double rampSeconds)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((seconds + rampSeconds) * Stopwatch.Frequency);
        var first = new LatencyRecorder();
        var completed = new StrongBox();
        var failed = new StrongBox();
        var open = 0;
        var peak = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + rampSeconds + 30));
        var workers = new Task[streams];
        for (var i = 0; i < streams; i++)
        {
            var delay = TimeSpan.FromSeconds(rampSeconds * i / streams);
            workers[i] = Task.Run(async () =>
            {
                await Task.Delay(delay, stop.Token);
                while (Stopwatch.GetTimestamp() < deadline && !stop.IsCancellationRequested)
                {
                    var now = Interlocked.Increment(ref open);
                    InterlockedMax(ref peak, now);
                    var timing = await StreamReading.ReadOneAsync(target, stop.Token);
                    Interlocked.Decrement(ref open);
                    if (timing.Ok)
                    {
                        completed.Increment();
                        first.Add(timing.FirstTokenMs);
                    }
                    else
                    {
                        failed.Increment();
                    }
                }
            });
        }

        try
        {
            await Task.WhenAll(workers);
        }
        catch (OperationCanceledException)
        {
            // the safety stop fired; the counts say what happened
        }

        var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"mode=hold streams={streams} peak_open={peak} completed={completed.Value} failed={failed.Value}");
        first.Describe(line, "ttft");
        return line.ToString();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
