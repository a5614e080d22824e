namespace Switchboard.Caching;

/// <summary>The state of the response cache's shared level (Redis, from the <c>Switchboard.Redis</c> package), for readiness and dashboards.</summary>
public interface IDistributedCacheStatus
{
    /// <summary>True while the shared level fails and answers are cached in process memory only.</summary>
    bool IsDegraded { get; }

    /// <summary>When the current outage began.</summary>
    DateTimeOffset? DegradedSince { get; }

    /// <summary>The last failure, without secrets.</summary>
    string? LastError { get; }
}
