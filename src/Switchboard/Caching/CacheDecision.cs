namespace Switchboard.Caching;

/// <summary>The decision for one request: the action, the lifetime of a stored answer, and why.</summary>
internal readonly record struct CacheDecision(CacheAction Action, TimeSpan Ttl, string Reason);
