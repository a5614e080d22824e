using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Switchboard.LoadGen;

/// <summary>
/// Open-loop load at a fixed offered rate: requests are sent on a schedule whatever the answers do, so latency is
/// measured below saturation without the closed-loop bias of wrk. Latency runs from the send to the last body byte.
/// Also collects the gateway's own <c>x-switchboard-overhead-ms</c> header to compare with what the client sees.
/// </summary>
internal static class OpenLoop
{
    public static async Task<string> RunAsync(LoadTarget target, double rate, double warmupSeconds, double seconds)
    {
        if (warmupSeconds > 0)
        {
            await SendAtRateAsync(target, rate, warmupSeconds, latency: null, overhead: null, errors: null);
        }

        var latency = new LatencyRecorder();
        var overhead = new LatencyRecorder();
        var errors = new StrongBox();
        var sent = await SendAtRateAsync(target, rate, seconds, latency, overhead, errors);
        var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"mode=open rate={rate} sent={sent} errors={errors.Value}");
        latency.Describe(line, "lat");
        if (overhead.Count > 0)
        {
            overhead.Describe(line, "hdr");
        }

        return line.ToString();
    }

    private static async Task<int> SendAtRateAsync(LoadTarget target, double rate, double seconds, LatencyRecorder? latency,
        LatencyRecorder? overhead, StrongBox? errors)
    {
        var total = (int)(rate * seconds);
        var interval = Stopwatch.Frequency / rate;
        var inFlight = new List<Task>(total);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * interval);
            // Sleep (no spinning: the load generator shares its core with the emulator) until this request is due.
            while (Stopwatch.GetTimestamp() < due)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(1, Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due).TotalMilliseconds)));
            }

            inFlight.Add(Task.Run(() => OneAsync(target, latency, overhead, errors)));
        }

        await Task.WhenAll(inFlight);
        return total;
    }

    private static async Task OneAsync(LoadTarget target, LatencyRecorder? latency, LatencyRecorder? overhead, StrongBox? errors)
    {
        using var request = target.NewRequest();
        var sent = Stopwatch.GetTimestamp();
        try
        {
            using var response = await target.Client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            var elapsed = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                errors?.Increment();
                return;
            }

            latency?.Add(elapsed);
            if (overhead is not null && response.Headers.TryGetValues("x-switchboard-overhead-ms", out var values) &&
                double.TryParse(values.First(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            {
                overhead.Add(ms);
            }
        }
        catch (HttpRequestException)
        {
            errors?.Increment();
        }
        catch (TaskCanceledException)
        {
            errors?.Increment();
        }
    }
}

/// <summary>A shared counter.</summary>
internal sealed class StrongBox
{
    private int _value;

    public int Value => Volatile.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);
}
