using Microsoft.Data.Sqlite;
using Switchboard.Ledger;

namespace Switchboard.IntegrationTests.Ledger;

/// <summary>The ledger contract on a SQLite file (WAL); the store's outage is simulated by a switch.</summary>
public sealed class SqliteLedgerStoreTests : LedgerStoreTestsBase
{
    private readonly List<SwitchableStore> _stores = [];

    protected override Task<ILedgerStore> CreateStoreAsync()
    {
        var store = new SwitchableStore(new SqliteLedgerStore($"Data Source={Path.Combine(WorkDir, "ledger.db")}", TimeProvider.System));
        _stores.Add(store);
        return Task.FromResult<ILedgerStore>(store);
    }

    protected override Task TakeStoreDownAsync()
    {
        _stores.ForEach(s => s.Down = true);
        return Task.CompletedTask;
    }

    protected override Task BringStoreBackAsync()
    {
        _stores.ForEach(s => s.Down = false);
        return Task.CompletedTask;
    }

    [Fact(Timeout = 30_000)]
    public async Task Sqlite_UsesWal_AndItsOwnMigrationsTable_BesideTheKeyStore()
    {
        var path = Path.Combine(WorkDir, "shared.db");
        await using (var keys = new SqliteConnection($"Data Source={path}"))
        {
            await keys.OpenAsync(TestContext.Current.CancellationToken);
            using var cmd = keys.CreateCommand();
            cmd.CommandText = "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY); INSERT INTO schema_migrations VALUES (1);" +
                "CREATE TABLE virtual_keys (id TEXT PRIMARY KEY);";
            await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        using var store = new SqliteLedgerStore($"Data Source={path}", TimeProvider.System);
        await store.InitializeAsync(TestContext.Current.CancellationToken);

        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA journal_mode; ";
        Assert.Equal("wal", (string?)await check.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        check.CommandText = "SELECT group_concat(version) FROM ledger_migrations";
        Assert.Equal("1,2", (string?)await check.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        check.CommandText = "SELECT group_concat(version) FROM schema_migrations";
        Assert.Equal("1", (string?)await check.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        check.CommandText = "SELECT type FROM pragma_table_info('ledger_attempts') WHERE name = 'cost_usd'";
        Assert.Equal("TEXT", (string?)await check.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(WorkDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
