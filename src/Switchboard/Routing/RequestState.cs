using Microsoft.Extensions.Logging;
using Switchboard.Chat;
using Switchboard.Resilience;

namespace Switchboard.Routing;

/// <summary>What one routed request carries across its attempts: its plan, result, attempt budget and last error.</summary>
internal sealed class RequestState(RoutePlan plan, RoutingResult result, AttemptBudget budget, string? keyId,
    IReadOnlyList<IAttemptObserver> observers, ILogger logger)
{
    private int _attemptNumber;

    public RoutePlan Plan => plan;
    public RoutingResult Result => result;
    public AttemptBudget Budget => budget;
    public string? KeyId => keyId;
    public ProviderException? LastError { get; set; }

    /// <summary>The error kind that made the router move on to the current candidate.</summary>
    public string? FallbackReason => LastError is { } e ? e.Kind.ToString() : null;

    public int NextAttemptNumber() => Interlocked.Increment(ref _attemptNumber);

    public AttemptRecord Record(AttemptRecord attempt)
    {
        result.Add(attempt);
        foreach (var observer in observers)
        {
            try
            {
                observer.OnAttempt(attempt);
            }
            catch (Exception ex)
            {
                RouterLog.ObserverFailed(logger, observer.GetType().Name, ex);
            }
        }

        return attempt;
    }

    /// <summary>Whether the router should try <paramref name="next"/> after <see cref="LastError"/>.</summary>
    public bool MayFallOverTo(Deployment next, Deployment? failed)
    {
        if (LastError is null || Budget.Remaining <= 0)
        {
            return Budget.Remaining > 0;
        }

        return LastError.Kind switch
        {
            ProviderErrorKind.ContextLengthExceeded => failed is null || next.ContextWindow > failed.ContextWindow,
            // Deployment-specific failures: another provider or model may well serve the request.
            ProviderErrorKind.QuotaExceeded or ProviderErrorKind.NotFound => true,
            _ => LastError.IsRetryable,
        };
    }
}
