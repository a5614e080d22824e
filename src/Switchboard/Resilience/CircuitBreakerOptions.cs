using System.ComponentModel.DataAnnotations;

namespace Switchboard.Resilience;

/// <summary>Per-deployment circuit breaker: <c>Switchboard:Routing:CircuitBreaker</c>.</summary>
/// <remarks>
/// Polly's breaker opens when, within <see cref="SamplingSeconds"/>, at least <see cref="MinimumThroughput"/> calls
/// were made and at least <see cref="FailureRatio"/> of them failed. With the defaults (3 calls, ratio 0.5), three
/// failures in a row at low traffic open it, as in the original design; at high traffic the ratio decides.
/// </remarks>
public sealed class CircuitBreakerOptions
{
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    [Range(2, 10_000)]
    public int MinimumThroughput { get; set; } = 3;

    [Range(0.5, 3600)]
    public double SamplingSeconds { get; set; } = 30;

    [Range(0.5, 86_400)]
    public double BreakSeconds { get; set; } = 60;
}
