using System.Globalization;
using System.Text;

namespace Switchboard.LoadGen;

/// <summary>Streams one request at a time and reports time to first token and time to last token.</summary>
internal static class StreamProbe
{
    public static async Task<string> RunAsync(LoadTarget target, int warmup, int count)
    {
        for (var i = 0; i < warmup; i++)
        {
            await StreamReading.ReadOneAsync(target, CancellationToken.None);
        }

        var first = new LatencyRecorder();
        var last = new LatencyRecorder();
        var errors = 0;
        for (var i = 0; i < count; i++)
        {
            var timing = await StreamReading.ReadOneAsync(target, CancellationToken.None);
            if (!timing.Ok)
            {
                errors++;
                continue;
            }

            first.Add(timing.FirstTokenMs);
            last.Add(timing.LastTokenMs);
        }

        var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"mode=stream count={count} errors={errors}");
        first.Describe(line, "ttft");
        last.Describe(line, "ttlt");
        return line.ToString();
    }
}
