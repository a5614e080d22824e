using Switchboard.Chat;
using Switchboard.Hosting;
using Switchboard.Resilience;

namespace Switchboard.Gateway.Dashboard;

/// <summary>
/// Remembers the last <see cref="Capacity"/> circuit state changes of this replica's deployments. The circuit breakers
/// (Polly, in <see cref="DeploymentResilience"/>) raise no event outside their pipeline, so states are compared after
/// every attempt (which is when a circuit opens or closes) and whenever the dashboard asks (which is when an open
/// circuit is seen to have moved to half-open by time).
/// </summary>
internal sealed class CircuitChanges(DeploymentResilience resilience, TimeProvider time) : IAttemptObserver
{
    public const int Capacity = 200;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _states = new(StringComparer.OrdinalIgnoreCase);
    private readonly LinkedList<CircuitChange> _changes = new();

    public void OnAttempt(AttemptRecord attempt)
    {
        try
        {
            Observe(attempt.Deployment.StateKey, resilience.CircuitState(attempt.Deployment));
        }
        catch (InvalidOperationException)
        {
            // Observers must not throw; a state that cannot be read now is read at the next attempt.
        }
    }

    /// <summary>Compares every deployment's current state, then returns the changes, newest first.</summary>
    public IReadOnlyList<CircuitChange> Snapshot(SwitchboardHealth health)
    {
        foreach (var deployment in health.Deployments())
        {
            Observe(deployment.Deployment, deployment.Circuit);
        }

        lock (_lock)
        {
            return [.. _changes];
        }
    }

    private void Observe(string deployment, string state)
    {
        lock (_lock)
        {
            // The first sight of a deployment is its starting state, not a change (circuits start closed).
            var previous = _states.GetValueOrDefault(deployment, "closed");
            _states[deployment] = state;
            if (string.Equals(previous, state, StringComparison.Ordinal))
            {
                return;
            }

            _changes.AddFirst(new CircuitChange(time.GetUtcNow(), deployment, previous, state));
            if (_changes.Count > Capacity)
            {
                _changes.RemoveLast();
            }
        }
    }
}
