using System.Globalization;
using System.Text;

namespace Switchboard.LoadGen;

/// <summary>Collects samples in milliseconds (thread-safe) and reports percentiles by sorting once at the end.</summary>
internal sealed class LatencyRecorder
{
    private readonly List<double> _samples = [];

    public int Count
    {
        get
        {
            lock (_samples)
            {
                return _samples.Count;
            }
        }
    }

    public void Add(double ms)
    {
        lock (_samples)
        {
            _samples.Add(ms);
        }
    }

    public double Percentile(double p)
    {
        double[] sorted;
        lock (_samples)
        {
            sorted = [.. _samples];
        }

        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        Array.Sort(sorted);
        var index = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    /// <summary>Appends <c>prefix_p50=.. prefix_p99=.. prefix_max=..</c> to a result line.</summary>
    public void Describe(StringBuilder line, string prefix)
    {
        line.Append(CultureInfo.InvariantCulture, $" {prefix}_n={Count}");
        line.Append(CultureInfo.InvariantCulture, $" {prefix}_p50={Percentile(50):0.000}");
        line.Append(CultureInfo.InvariantCulture, $" {prefix}_p99={Percentile(99):0.000}");
        line.Append(CultureInfo.InvariantCulture, $" {prefix}_max={Percentile(100):0.000}");
    }
}
