using System.Diagnostics;
using Npgsql;
using Switchboard.Ledger;

namespace Switchboard.IntegrationTests.Ledger;

/// <summary>The ledger contract on a real PostgreSQL (from <c>SWITCHBOARD_TEST_POSTGRES</c>); each test gets its own database,
/// and the outage test really stops and restarts the server.</summary>
[Collection(PostgresServerCollection.Name)]
public sealed class PostgresLedgerStoreTests : LedgerStoreTestsBase
{
    private string? _connectionString;

    protected override async Task<ILedgerStore> CreateStoreAsync()
    {
        _connectionString ??= await CreateDatabaseAsync();
        return new PostgresLedgerStore(_connectionString, TimeProvider.System);
    }

    protected override Task TakeStoreDownAsync() => PgCtlAsync("-m fast -w stop");

    protected override Task BringStoreBackAsync() => PgCtlAsync("-w start");

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

    private static string Admin()
    {
        var cs = Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_POSTGRES");
        if (string.IsNullOrEmpty(cs))
        {
            const string message = "SWITCHBOARD_TEST_POSTGRES is not set: run scripts/test.sh (it starts a throwaway PostgreSQL 15), " +
                "or source scripts/lib/services.sh and call start_services.";
            if (Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_REQUIRE_SERVICES") == "1")
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        return cs;
    }

    internal static async Task<string> CreateDatabaseAsync()
    {
        var admin = Admin();
        var name = "sb_ledger_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await cmd.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, Timeout = 3 }.ConnectionString;
    }

    private static async Task PgCtlAsync(string args)
    {
        var pgCtl = Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_PG_CTL");
        var data = Environment.GetEnvironmentVariable("SWITCHBOARD_TEST_PG_DATA");
        if (string.IsNullOrEmpty(pgCtl) || string.IsNullOrEmpty(data))
        {
            Assert.Fail("SWITCHBOARD_TEST_PG_CTL and SWITCHBOARD_TEST_PG_DATA must be set to stop and start the test server.");
        }

        // Started again on the same port and socket folder as scripts/lib/services.sh started it.
        var port = new NpgsqlConnectionStringBuilder(Admin()).Port;
        var folder = Path.GetDirectoryName(Path.GetFullPath(data.TrimEnd('/')))!;
        var command = args.Contains("start", StringComparison.Ordinal)
            ? $"{pgCtl} -D {data} -o '-p {port} -k {folder} -c listen_addresses=127.0.0.1' -l {folder}/pg.log {args}"
            : $"{pgCtl} -D {data} {args}";
        var asRoot = Environment.UserName == "root";
        var psi = asRoot
            ? new ProcessStartInfo("su", ["postgres", "-c", command])
            : new ProcessStartInfo("bash", ["-c", command]);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using var process = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"pg_ctl {args} failed: {error}");
        if (!asRoot || args.Contains("start", StringComparison.Ordinal))
        {
            NpgsqlConnection.ClearAllPools();
        }
    }
}
