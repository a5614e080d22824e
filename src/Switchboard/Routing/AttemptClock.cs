using Microsoft.Extensions.AI;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using Switchboard.Chat;

namespace Switchboard.Routing;

/// <summary>Times one attempt and turns its end (success, exception, cancellation) into an <see cref="AttemptRecord"/>.</summary>
internal sealed class AttemptClock(TimeProvider time, RequestState state, Deployment deployment, bool streamed)
{
    private readonly long _start = time.GetTimestamp();
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private readonly int _number = state.NextAttemptNumber();

    public TimeSpan Elapsed => time.GetElapsedTime(_start);

    public TimeSpan? TimeToFirstToken { get; private set; }

    public void MarkFirstToken() => TimeToFirstToken ??= Elapsed;

    public AttemptRecord Success(UsageDetails? usage, decimal? cost) =>
        state.Record(Build(AttemptOutcome.Success) with { Usage = usage, CostUsd = cost, OutputCommitted = streamed });

    public AttemptRecord Skipped(string why) =>
        state.Record(Build(AttemptOutcome.Skipped) with { ErrorMessage = why });

    /// <summary>Records a failure; returns the provider error that stands for it (null for the caller's cancellation).</summary>
    public ProviderException? Failure(Exception exception, bool callerCancelled, bool committed, UsageDetails? partialUsage, decimal? cost)
    {
        if (callerCancelled && exception is OperationCanceledException)
        {
            state.Record(Build(AttemptOutcome.Cancelled) with { OutputCommitted = committed, Usage = partialUsage, CostUsd = cost });
            return null;
        }

        var error = ToProviderException(exception, deployment);
        error.OutputCommitted |= committed;
        error.PartialUsage ??= partialUsage;
        state.Record(Build(exception is BrokenCircuitException or RateLimiterRejectedException ? AttemptOutcome.Skipped : AttemptOutcome.Failed) with
        {
            ErrorKind = error.Kind,
            StatusCode = error.StatusCode,
            ErrorMessage = error.Message,
            OutputCommitted = committed,
            Usage = error.PartialUsage,
            CostUsd = cost,
        });
        return error;
    }

    internal static ProviderException ToProviderException(Exception exception, Deployment deployment) => exception switch
    {
        ProviderException pe => pe,
        BrokenCircuitException => new ProviderException(ProviderErrorKind.Overloaded,
            $"The circuit for {deployment.Name} is open after recent failures.", deployment.Provider, innerException: exception),
        TimeoutRejectedException or OperationCanceledException => new ProviderException(ProviderErrorKind.Timeout,
            $"{deployment.Name} did not answer within the attempt timeout.", deployment.Provider, innerException: exception),
        _ => new ProviderException(ProviderErrorKind.Unknown,
            $"{deployment.Name} failed unexpectedly: {SecretScrubber.Scrub(exception.Message)}", deployment.Provider, innerException: exception),
    };

    private AttemptRecord Build(AttemptOutcome outcome) => new()
    {
        RequestId = state.Result.RequestId,
        AttemptNumber = _number,
        StartedAt = _startedAt,
        Deployment = deployment,
        Route = state.Result.Route,
        Task = state.Result.Task,
        Outcome = outcome,
        Duration = Elapsed,
        TimeToFirstToken = TimeToFirstToken,
        Streamed = streamed,
        FallbackReason = state.FallbackReason,
        KeyId = state.KeyId,
    };
}
