namespace Switchboard.Caching;

/// <summary>
/// Wraps a failure of the inner client inside the HybridCache factory, so the cache client can tell a provider
/// failure (rethrown as it was, never cached) from a failure of the cache itself (logged; the request goes on uncached).
/// </summary>
internal sealed class InnerCallFailedException : Exception
{
    public InnerCallFailedException()
    {
    }

    public InnerCallFailedException(string message)
        : base(message)
    {
    }

    public InnerCallFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
