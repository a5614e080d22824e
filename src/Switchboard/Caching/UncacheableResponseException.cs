namespace Switchboard.Caching;

/// <summary>
/// Thrown out of the HybridCache factory so that an answer is returned but never stored (HybridCache stores whatever
/// a factory returns). Coalesced waiters receive it too and are served from <see cref="Snapshot"/>.
/// </summary>
internal sealed class UncacheableResponseException : Exception
{
    public UncacheableResponseException(string reason, CachedChatResponse? snapshot)
        : base("The answer is not cacheable: " + reason + ".")
    {
        Reason = reason;
        Snapshot = snapshot;
    }

    public UncacheableResponseException()
        : this("unknown", (CachedChatResponse?)null)
    {
    }

    public UncacheableResponseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    public string Reason { get; } = "unknown";

    public CachedChatResponse? Snapshot { get; }
}
