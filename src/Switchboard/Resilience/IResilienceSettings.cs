namespace Switchboard.Resilience;

/// <summary>What a deployment's resilience pipeline is built from (the <c>Switchboard:Routing</c> section provides it).</summary>
public interface IResilienceSettings
{
    /// <summary>Retries of one deployment before the router moves on.</summary>
    RetryOptions Retry { get; }

    /// <summary>When a deployment's circuit opens and for how long.</summary>
    CircuitBreakerOptions CircuitBreaker { get; }

    /// <summary>The longest one non-streaming attempt may take.</summary>
    double AttemptTimeoutSeconds { get; }

    /// <summary>The longest a stream may take to produce its first content.</summary>
    double FirstTokenTimeoutSeconds { get; }
}
