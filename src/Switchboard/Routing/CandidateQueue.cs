using Switchboard.Chat;

namespace Switchboard.Routing;

/// <summary>
/// The candidates one request has not tried yet, in the order it will try them. The plan's order holds until a
/// failure: a failure that implicates the provider (overloaded, 5xx, network, timeout, credentials, quota) sends that
/// provider's other deployments to the back, so the next attempt goes to a different provider; a failure of the
/// request itself (invalid, unknown model, content refused) ends the request; a context-window failure moves to a
/// larger window. Both the streaming and the non-streaming loops take their next deployment from here.
/// </summary>
internal sealed class CandidateQueue
{
    private readonly List<Deployment> _remaining;
    private readonly HashSet<string> _triedProviders = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    public CandidateQueue(IReadOnlyList<Deployment> candidates)
    {
        _remaining = [.. candidates];
    }

    /// <summary>
    /// The next deployment to try after <paramref name="failed"/> failed with <paramref name="error"/> (both null for
    /// the first); null when the request must stop.
    /// </summary>
    public Deployment? Next(ProviderException? error, Deployment? failed)
    {
        lock (_gate)
        {
            if (_remaining.Count == 0)
            {
                return null;
            }

            if (error is null || failed is null)
            {
                return Take(0);
            }

            if (error.Kind == ProviderErrorKind.ContextLengthExceeded)
            {
                var larger = _remaining.FindIndex(d => d.ContextWindow > failed.ContextWindow);
                return larger < 0 ? null : Take(larger);
            }

            if (!error.ImplicatesProvider)
            {
                return null; // the request itself was refused: another deployment would refuse it too
            }

            Demote(failed.Provider);
            return Take(0);
        }
    }

    /// <summary>Whether any candidate is left untried.</summary>
    public bool HasMore
    {
        get
        {
            lock (_gate)
            {
                return _remaining.Count > 0;
            }
        }
    }

    /// <summary>Notes that a deployment is being tried (the hedging path starts candidates without <see cref="Next"/>).</summary>
    public void MarkTried(Deployment deployment)
    {
        lock (_gate)
        {
            _triedProviders.Add(deployment.Provider);
        }
    }

    /// <summary>
    /// Whether a failed attempt on <paramref name="provider"/> should give way to another candidate rather than be
    /// retried: yes while another provider waits untried; once every provider has had its turn, yes while any other
    /// deployment is left, unless the provider asked for a short wait (Retry-After), which is then worth honouring.
    /// </summary>
    public bool PrefersAnotherCandidate(string provider, bool retryAfterGiven)
    {
        lock (_gate)
        {
            foreach (var d in _remaining)
            {
                if (!_triedProviders.Contains(d.Provider) && !string.Equals(d.Provider, provider, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return !retryAfterGiven && _remaining.Count > 0;
        }
    }

    /// <summary>The number of distinct providers among the candidates: each must get at least one attempt.</summary>
    public static int DistinctProviders(IReadOnlyList<Deployment> candidates)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var d in candidates)
        {
            seen.Add(d.Provider);
        }

        return seen.Count;
    }

    private Deployment Take(int index)
    {
        var deployment = _remaining[index];
        _remaining.RemoveAt(index);
        _triedProviders.Add(deployment.Provider);
        return deployment;
    }

    // Stable: the provider's deployments keep their order among themselves, behind everyone else's.
    private void Demote(string provider)
    {
        var demoted = _remaining.FindAll(d => string.Equals(d.Provider, provider, StringComparison.OrdinalIgnoreCase));
        if (demoted.Count == 0 || demoted.Count == _remaining.Count)
        {
            return;
        }

        _remaining.RemoveAll(d => string.Equals(d.Provider, provider, StringComparison.OrdinalIgnoreCase));
        _remaining.AddRange(demoted);
    }
}
