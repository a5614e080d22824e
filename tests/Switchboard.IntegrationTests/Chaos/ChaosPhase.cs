namespace Switchboard.IntegrationTests.Chaos;

/// <summary>
/// One stretch of the chaos run: how many requests, what the faults are (described for the report), whether at least
/// one provider is healthy throughout (then every request must succeed), and whether mid-stream cuts after first
/// content are configured (then those count as permitted cuts, not failures). <see cref="Concurrency"/> overrides the
/// run's requests in flight (1 = one at a time, as a new user's first requests arrive).
/// </summary>
public sealed record ChaosPhase(string Name, string Faults, int Requests, bool AnyProviderHealthy, bool CutsAfterContent, int? Concurrency = null);
