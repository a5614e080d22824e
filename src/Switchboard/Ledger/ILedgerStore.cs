using Switchboard.Budgets;

namespace Switchboard.Ledger;

/// <summary>Where ledger records live: SQLite (embedded default) or PostgreSQL (shared by gateway replicas).</summary>
public interface ILedgerStore
{
    /// <summary>Creates or upgrades the schema (versioned migrations). Every other call does it first when it has not happened yet.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Stores a batch in one transaction; a record whose (request id, attempt number) is already stored is ignored.</summary>
    Task AppendAsync(IReadOnlyList<LedgerRecord> batch, CancellationToken cancellationToken);

    /// <summary>Usage in the query's window, grouped as it asks, with a total.</summary>
    Task<UsageReport> QueryAsync(UsageQuery query, CancellationToken cancellationToken);

    /// <summary>The cost of the rows in <paramref name="scope"/> from <paramref name="since"/> on.</summary>
    Task<decimal> SpentAsync(BudgetScope scope, DateTimeOffset since, CancellationToken cancellationToken);
}
