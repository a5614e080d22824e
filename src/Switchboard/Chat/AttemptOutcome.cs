namespace Switchboard.Chat;

/// <summary>How one attempt against one deployment ended.</summary>
public enum AttemptOutcome
{
    Success,
    Failed,
    /// <summary>The caller went away; never counted against the provider.</summary>
    Cancelled,
    /// <summary>Not sent: the deployment's rate limit or open circuit turned it away.</summary>
    Skipped,
}
