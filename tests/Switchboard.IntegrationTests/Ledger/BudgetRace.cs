using Switchboard.Budgets;

namespace Switchboard.IntegrationTests.Ledger;

/// <summary>
/// Many requests reserving a budget at once: request i uses manager i mod n (several replicas), holds
/// <c>worstCase</c>, waits a little and settles 0.6 to 1.0. Counts what got through, what was refused and what was spent.
/// </summary>
internal static class BudgetRace
{
    public sealed record Outcome(int Succeeded, int Refused, decimal Settled, IReadOnlyList<BudgetExceededException> Refusals);

    public static async Task<Outcome> RunAsync(IReadOnlyList<BudgetManager> managers, BudgetScopeSet scopes, decimal worstCase,
        int requests, int parallelism, CancellationToken cancellationToken)
    {
        var settled = 0m;
        var succeeded = 0;
        var refusals = new System.Collections.Concurrent.ConcurrentBag<BudgetExceededException>();
        var gate = new object();
        await Parallel.ForEachAsync(Enumerable.Range(0, requests),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    await using var reservation = await managers[i % managers.Count].ReserveAsync(scopes, worstCase, ct);
                    Interlocked.Increment(ref succeeded);
                    await Task.Delay(5, ct);
                    var actual = 0.6m + (i % 5 * 0.1m);
                    await reservation.SettleAsync(actual, ct);
                    lock (gate)
                    {
                        settled += actual;
                    }
                }
                catch (BudgetExceededException ex)
                {
                    refusals.Add(ex);
                }
            });

        return new Outcome(succeeded, refusals.Count, settled, [.. refusals]);
    }
}
