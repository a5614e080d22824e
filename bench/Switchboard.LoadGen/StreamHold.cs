using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Switchboard.LoadGen;

/// <summary>
/// Holds N streams open at once: N workers, started over the ramp, each streams, reads to the end and starts again;
/// when the time is up every stream still open is cancelled (those count as held, not failed). Reports the peak number
/// open, the streams that failed before the end, and the time to first token under that load.
/// </summary>
internal static class StreamHold
{
    public static async Task<string> RunAsync(LoadTarget target, int streams, double seconds, double rampSeconds)
    {
        var first = new LatencyRecorder();
        var completed = new StrongBox();
        var failed = new StrongBox();
        var open = 0;
        var peak = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + rampSeconds));
        var workers = new Task[streams];
        for (var i = 0; i < streams; i++)
        {
            var delay = TimeSpan.FromSeconds(rampSeconds * i / streams);
            workers[i] = Task.Run(async () =>
            {
                try
                {
                    await Task.Delay(delay, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                while (!stop.IsCancellationRequested)
                {
                    InterlockedMax(ref peak, Interlocked.Increment(ref open));
                    var timing = await StreamReading.ReadOneAsync(target, stop.Token);
                    Interlocked.Decrement(ref open);
                    if (timing.FirstTokenMs >= 0)
                    {
                        first.Add(timing.FirstTokenMs);
                    }

                    if (timing.Ok)
                    {
                        completed.Increment();
                    }
                    else if (!stop.IsCancellationRequested)
                    {
                        failed.Increment();
                    }
                }
            });
        }

        await Task.WhenAll(workers);
        var line = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"mode=hold streams={streams} peak_open={peak} completed={completed.Value} failed={failed.Value}");
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
