using Npgsql;
using Switchboard.Ledger;
using Switchboard.PostgreSql;

namespace Switchboard.IntegrationTests.Ledger;

/// <summary>The ledger contract on a real PostgreSQL (from <c>SWITCHBOARD_TEST_POSTGRES</c>); each test gets its own database,
/// and the outage test really stops and restarts the server.</summary>
[Collection(PostgresServerCollection.Name)]
public sealed class PostgresLedgerStoreTests : LedgerStoreTestsBase
{
    private string? _connectionString;

    protected override async Task<ILedgerStore> CreateStoreAsync()
    {
        _connectionString ??= await PostgresTestServer.CreateDatabaseAsync();
        return new PostgresLedgerStore(_connectionString, TimeProvider.System);
    }

    protected override Task TakeStoreDownAsync() => PostgresTestServer.StopAsync();

    protected override Task BringStoreBackAsync() => PostgresTestServer.StartAsync();

    [Fact(Timeout = 30_000)]
    public async Task Postgres_MoneyIsNumeric_AndReplicasMigrateOnce()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new PostgresLedgerStore(_connectionString!, TimeProvider.System)).ToList();
        await Task.WhenAll(stores.Select(s => s.InitializeAsync(TestContext.Current.CancellationToken)));
        await using var source = NpgsqlDataSource.Create(_connectionString!);
        await using var cmd = source.CreateCommand("SELECT string_agg(version::text, ',' ORDER BY version) FROM ledger_migrations");
        Assert.Equal("1,2,3,4", (string?)await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        await using var type = source.CreateCommand(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'ledger_attempts' AND column_name = 'cost_usd'");
        Assert.Equal("numeric", (string?)await type.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }
    }
}
