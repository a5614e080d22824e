using System.Diagnostics;
using Npgsql;

namespace Switchboard.IntegrationTests.Ledger;

/// <summary>
/// The one PostgreSQL 15 test server scripts/test.sh starts (<c>SWITCHBOARD_TEST_POSTGRES</c>, <c>SWITCHBOARD_TEST_PG_CTL</c>,
/// <c>SWITCHBOARD_TEST_PG_DATA</c>): a fresh database per test, and stopping / starting the server for outage tests
/// (which belong to <see cref="PostgresServerCollection"/>).
/// </summary>
internal static class PostgresTestServer
{
    /// <summary><c>pg_ctl stop -m fast</c>: the server goes away, its connections are cut.</summary>
    public static Task StopAsync() => PgCtlAsync("-m fast -w stop");

    /// <summary><c>pg_ctl start</c> on the port and socket folder scripts/lib/services.sh used; waits until it accepts connections.</summary>
    public static Task StartAsync() => PgCtlAsync("-w start");

    public static string Admin()
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

    public static async Task<string> CreateDatabaseAsync()
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
