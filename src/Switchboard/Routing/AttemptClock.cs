using Microsoft.Extensions.AI;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using System.Diagnostics;
using Switchboard.Chat;
using Switchboard.Pricing;
using Switchboard.Telemetry;

namespace Switchboard.Routing;

/// <summary>Times one attempt and turns its end (success, exception, cancellation) into an <see cref="AttemptRecord"/>.</summary>
/// <remarks>Each attempt is also an OpenTelemetry client span (GenAI conventions), a child of the request's span.</remarks>
internal sealed class AttemptClock
{
    private readonly TimeProvider time;
    private readonly RequestState state;
    private readonly Deployment deployment;
    private readonly bool streamed;
    private readonly long _start;
    private readonly DateTimeOffset _startedAt;
    private readonly int _number;
    private readonly Activity? _activity;

    public AttemptClock(TimeProvider time, RequestState state, Deployment deployment, bool streamed)
    {
        this.time = time;
        this.state = state;
        this.deployment = deployment;
        this.streamed = streamed;
        _start = time.GetTimestamp();
        _startedAt = time.GetUtcNow();
        _number = state.NextAttemptNumber();
        // No span name is built when nobody listens to the source (no tracing exporter configured).
        _activity = SwitchboardTelemetry.Source.HasListeners()
            ? SwitchboardTelemetry.Source.StartActivity($"{state.Operation} {deployment.Model}", ActivityKind.Client)
            : null;
        if (_activity is { IsAllDataRequested: true } a)
        {
            a.SetTag(GenAiAttributes.OperationName, state.Operation);
            a.SetTag(GenAiAttributes.ProviderName, deployment.ProviderType);
            a.SetTag(GenAiAttributes.RequestModel, deployment.Model);
            a.SetTag(GenAiAttributes.Deployment, deployment.Name);
            a.SetTag(GenAiAttributes.Route, state.Result.Route);
            a.SetTag(GenAiAttributes.Attempt, _number);
            a.SetTag(GenAiAttributes.FallbackReason, state.FallbackReason);
            if (deployment.ServerAddress is { } host)
            {
                a.SetTag(GenAiAttributes.ServerAddress, host);
            }
        }
    }

    public TimeSpan Elapsed => time.GetElapsedTime(_start);

    /// <summary>The request this attempt belongs to.</summary>
    public RequestState State => state;

    /// <summary>The deployment tried.</summary>
    public Deployment Deployment => deployment;

    /// <summary>What <paramref name="usage"/> costs at the deployment's price in force now (the catalog's, or the configured
    /// one for unpriced models); null when it has none or the usage reports no tokens.</summary>
    public decimal? Cost(UsageDetails? usage) =>
        deployment.Price is { } price ? CostCalculator.Compute(price.PricedAt(time.GetUtcNow()), usage) : null;

    public TimeSpan? TimeToFirstToken { get; private set; }

    public void MarkFirstToken() => TimeToFirstToken ??= Elapsed;

    public AttemptRecord Success(UsageDetails? usage, decimal? cost, ChatFinishReason? finishReason = null, string? responseModel = null)
    {
        if (_activity is { IsAllDataRequested: true } a)
        {
            a.SetTag(GenAiAttributes.ResponseModel, responseModel ?? deployment.Model);
            a.SetTag(GenAiAttributes.InputTokens, usage?.InputTokenCount);
            a.SetTag(GenAiAttributes.OutputTokens, usage?.OutputTokenCount);
            a.SetTag(GenAiAttributes.CostUsd, cost is { } c ? (double)c : null);
            if (finishReason is { } f)
            {
                a.SetTag(GenAiAttributes.FinishReasons, new[] { f.Value });
            }
        }

        _activity?.Dispose();
        return state.Record(Build(AttemptOutcome.Success) with { Usage = usage, CostUsd = cost, OutputCommitted = streamed });
    }

    public AttemptRecord Skipped(string why)
    {
        _activity?.SetTag(GenAiAttributes.Outcome, "skipped");
        _activity?.Dispose();
        return state.Record(Build(AttemptOutcome.Skipped) with { ErrorMessage = why });
    }

    /// <summary>Records a failure; returns the provider error that stands for it (null for the caller's cancellation).</summary>
    public ProviderException? Failure(Exception exception, bool callerCancelled, bool committed, UsageDetails? partialUsage, decimal? cost)
    {
        if (callerCancelled && exception is OperationCanceledException)
        {
            _activity?.SetTag(GenAiAttributes.Outcome, "cancelled");
            _activity?.Dispose();
            state.Record(Build(AttemptOutcome.Cancelled) with { OutputCommitted = committed, Usage = partialUsage, CostUsd = cost });
            return null;
        }

        var error = ToProviderException(exception, deployment);
        error.OutputCommitted |= committed;
        error.PartialUsage ??= partialUsage;
        if (_activity is { } activity)
        {
            activity.SetTag(GenAiAttributes.ErrorType, error.Kind.ToString());
            activity.SetStatus(ActivityStatusCode.Error, error.Kind.ToString());
            activity.SetTag(GenAiAttributes.InputTokens, error.PartialUsage?.InputTokenCount);
            activity.SetTag(GenAiAttributes.OutputTokens, error.PartialUsage?.OutputTokenCount);
            activity.Dispose();
        }

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
        Operation = state.Operation,
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
