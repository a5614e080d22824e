using Switchboard.Chat;

namespace Switchboard.Routing;

/// <summary>No candidate answered: every attempt of the request, and the error that ended it.</summary>
public sealed class RoutingFailedException : Exception
{
    public RoutingFailedException(string route, IReadOnlyList<AttemptRecord> attempts, ProviderException? lastError)
        : base(Describe(route, attempts, lastError), lastError)
    {
        Route = route;
        Attempts = attempts;
        LastError = lastError;
    }

    public string Route { get; }

    public IReadOnlyList<AttemptRecord> Attempts { get; }

    /// <summary>The error that ended the request (for a non-retryable one, what the caller should be told).</summary>
    public ProviderException? LastError { get; }

    /// <summary>
    /// Whether the request stopped on an error of the request's own making (invalid, unknown model, refused content,
    /// too long for every window) rather than on providers that were down or misconfigured.
    /// </summary>
    public bool StoppedOnNonRetryable => LastError is { ImplicatesProvider: false } && LastError.Kind != ProviderErrorKind.ContextLengthExceeded
        || LastError?.Kind == ProviderErrorKind.ContextLengthExceeded && Attempts.Count == 1;

    private static string Describe(string route, IReadOnlyList<AttemptRecord> attempts, ProviderException? last)
    {
        if (attempts.Count == 0)
        {
            return $"No deployment of '{route}' could be tried: {last?.Message ?? "none available"}";
        }

        var parts = attempts.Select(a =>
            $"{a.Deployment.Name}: {(a.Outcome == AttemptOutcome.Skipped ? "skipped" : a.ErrorKind?.ToString() ?? a.Outcome.ToString())}" +
            (a.StatusCode is { } s ? $" ({s})" : "") + $" after {a.Duration.TotalMilliseconds:0} ms" +
            (a.ErrorMessage is { Length: > 0 } m ? $" - {m}" : ""));
        return $"Every attempt for '{route}' failed: " + string.Join("; ", parts);
    }
}
