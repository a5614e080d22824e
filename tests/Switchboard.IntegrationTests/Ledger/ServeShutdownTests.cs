using Microsoft.Data.Sqlite;
using Switchboard.Emulator;

namespace Switchboard.IntegrationTests.Ledger;

/// <summary>Stopping <c>switchboard serve</c> the way orchestrators do: SIGTERM, and often a second one while it drains.</summary>
public sealed class ServeShutdownTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sb-shutdown-").FullName;
    private EmulatorHost _emulator = null!;

    public async ValueTask InitializeAsync() => _emulator = await EmulatorHost.StartAsync(new EmulatorOptions());

    [Fact(Timeout = 120_000)]
    public async Task SecondSigtermDuringShutdown_IsHarmless_AndEveryAnsweredRequestIsInTheLedger()
    {
        var ct = TestContext.Current.CancellationToken;
        var config = Path.Combine(_folder, "switchboard.json");
        await File.WriteAllTextAsync(config, $$"""
            { "Switchboard": { "Providers": { "openai": { "Type": "openai", "BaseUrl": "{{_emulator.BaseUrl}}", "ApiKey": "sk-test-shutdown" } } } }
            """, ct);
        using var gateway = await GatewayProcess.StartAsync(config, ct);
        var load = new LedgerLoad(gateway.BaseUrl, "term");
        await load.RunAsync(2, 50, stopAtFailure: true, ct);
        Assert.True(load.Failures.IsEmpty, string.Join("\n", load.Failures.Take(5)));

        // A store that lags (SQLite's write lock held here) makes the drain at shutdown take seconds, as under load.
        var database = Path.Combine(_folder, "switchboard.db");
        var stall = new SqliteConnection($"Data Source={database};Pooling=False");
        await stall.OpenAsync(ct);
        await using (var begin = new SqliteCommand("BEGIN IMMEDIATE", stall))
        {
            await begin.ExecuteNonQueryAsync(ct);
        }

        await load.RunAsync(2, 25, stopAtFailure: true, ct);
        await gateway.SignalAsync("TERM");
        await Task.Delay(TimeSpan.FromSeconds(3), ct); // past System.CommandLine's 2 s termination timeout, still draining
        await gateway.SignalAsync("TERM");
        await stall.DisposeAsync(); // the store answers again: the drain can finish
        var exit = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, $"exit code {exit}\n{gateway.OutputTail}");
        Assert.DoesNotContain("Unhandled exception", gateway.OutputTail, StringComparison.Ordinal);
        Assert.Equal(150, load.Completed.Count);
        var stored = await LedgerLoad.SqliteLedgerAsync(database, ct);
        Assert.All(load.Completed.Keys, id => Assert.True(stored.ContainsKey(id), $"{id} missing from the ledger"));
    }

    public async ValueTask DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
