using Npgsql;

namespace Switchboard.PostgreSql;

/// <summary>
/// The PostgreSQL database Switchboard's ledger lives in, for other state that belongs beside it (the gateway's virtual
/// keys, stored responses): one pool, and the ledger's migrations applied first.
/// </summary>
public interface IPostgresDatabase
{
    /// <summary>The shared connection pool.</summary>
    NpgsqlDataSource DataSource { get; }

    /// <summary>Creates or migrates the ledger's tables (idempotent); call before using tables that depend on them.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);
}
