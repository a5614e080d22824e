namespace Switchboard.IntegrationTests.Ledger;

/// <summary>Tests that share (and may stop) the one PostgreSQL test server run one after another.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresServerCollection
{
    public const string Name = "PostgreSQL server";
}
