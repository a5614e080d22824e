using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Switchboard.Emulator;
using Switchboard.IntegrationTests.Gateway;
using Switchboard.Gateway.Hosting;
using Switchboard.Ledger;

namespace Switchboard.IntegrationTests.Ledger;

/// <summary>
/// A gateway on the PostgreSQL ledger keeps answering while the real server is stopped (records go to the local journal),
/// and once the server is back the journal drains until every answered request is in PostgreSQL.
/// </summary>
[Collection(PostgresServerCollection.Name)]
public sealed class PostgresOutageTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sb-pg-outage-").FullName;
    private readonly LogSink _log = new();
    private EmulatorHost _emulator = null!;

    private string Log => string.Join("\n", _log.Lines.TakeLast(30));

    public async ValueTask InitializeAsync() => _emulator = await EmulatorHost.StartAsync(new EmulatorOptions());

    [Fact(Timeout = 180_000)]
    public async Task PostgresStoppedDuringLoad_EveryRequestAnswered_JournalDrainsIntoPostgres()
    {
        var ct = TestContext.Current.CancellationToken;
        var connectionString = await PostgresTestServer.CreateDatabaseAsync();
        await using var app = await StartGatewayAsync(connectionString, ct);
        var writer = app.Services.GetRequiredService<LedgerWriter>();
        var journal = app.Services.GetRequiredService<LedgerJournal>();
        var baseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        var load = new LedgerLoad(baseUrl, "pg");

        await load.RunAsync(clients: 4, perClient: 25, stopAtFailure: false, ct);
        Assert.True(load.Failures.IsEmpty, string.Join("\n", load.Failures) + "\n" + Log);
        await LedgerSamples.WaitUntilAsync(async () => (await StoredAsync(connectionString, ct)).Count == 100, TimeSpan.FromSeconds(30),
            $"the first 100 requests in PostgreSQL (store available: {writer.StoreAvailable}, journalled: {journal.PendingRecords})\n{Log}");

        int answeredWhileDown;
        await PostgresTestServer.StopAsync();
        try
        {
            // While the server is down: every request is still answered, and the records wait in the journal.
            await load.RunAsync(clients: 4, perClient: 50, stopAtFailure: false, ct);
            answeredWhileDown = load.Completed.Count - 100;
            await LedgerSamples.WaitUntilAsync(() => Task.FromResult(!writer.StoreAvailable && journal.PendingRecords > 0), TimeSpan.FromSeconds(30),
                "the writer to notice the outage and journal records");
            Assert.Equal(200, answeredWhileDown);
            Assert.Empty(load.Failures);
        }
        finally
        {
            await PostgresTestServer.StartAsync();
        }

        // Back: the journal drains while requests keep coming.
        await load.RunAsync(clients: 2, perClient: 20, stopAtFailure: false, ct);
        Assert.Empty(load.Failures);
        var completed = load.Completed.Values.ToList();
        Assert.Equal(340, completed.Count);
        Dictionary<string, decimal> stored = [];
        await LedgerSamples.WaitUntilAsync(async () =>
        {
            stored = await StoredAsync(connectionString, ct);
            return writer.PendingRecords == 0 && completed.All(r => stored.ContainsKey(r.RequestId));
        }, TimeSpan.FromSeconds(60), "the journal to drain into PostgreSQL");

        Assert.True(writer.StoreAvailable);
        Assert.Equal(0, journal.PendingRecords);
        Assert.Equal(completed.Count, stored.Count);
        foreach (var request in completed.Where(r => r.CostUsd is not null))
        {
            Assert.Equal(request.CostUsd, stored[request.RequestId]);
        }
    }

    private async Task<WebApplication> StartGatewayAsync(string connectionString, CancellationToken ct)
    {
        var config = Path.Combine(_folder, "switchboard.json");
        await File.WriteAllTextAsync(config, "{}", ct);
        var app = await GatewayApp.BuildAsync(new GatewayStartOptions
        {
            ConfigFile = config,
            Urls = "http://127.0.0.1:0",
            Overrides = new Dictionary<string, string?>
            {
                ["Switchboard:Providers:openai:Type"] = "openai",
                ["Switchboard:Providers:openai:BaseUrl"] = _emulator.BaseUrl.ToString(),
                ["Switchboard:Providers:openai:ApiKey"] = "sk-test-pg-outage",
                ["Switchboard:Ledger:Provider"] = "postgres",
                ["Switchboard:Ledger:ConnectionString"] = connectionString,
                ["Switchboard:Ledger:JournalPath"] = Path.Combine(_folder, "ledger.journal"),
                ["Switchboard:Ledger:MaxRetryDelayMs"] = "500",
            },
            Logging = logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Warning).AddProvider(_log),
        }, ct);
        await app.StartAsync(ct);
        return app;
    }

    /// <summary>Request id → the sum of its attempts' costs in PostgreSQL.</summary>
    private static async Task<Dictionary<string, decimal>> StoredAsync(string connectionString, CancellationToken ct)
    {
        var rows = new Dictionary<string, decimal>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT request_id, coalesce(sum(cost_usd), 0) FROM ledger_attempts GROUP BY request_id", connection);
        NpgsqlDataReader reader;
        try
        {
            reader = await cmd.ExecuteReaderAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return rows; // the gateway's writer has not created its schema yet (it does so with its first batch)
        }

        await using var _ = reader;
        while (await reader.ReadAsync(ct))
        {
            rows[reader.GetString(0)] = reader.GetDecimal(1);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await _emulator.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
