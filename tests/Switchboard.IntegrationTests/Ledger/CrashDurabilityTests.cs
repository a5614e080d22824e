using Microsoft.Data.Sqlite;
using Switchboard.Emulator;

namespace Switchboard.IntegrationTests.Ledger;

/// <summary>
/// The durability guarantee on a real process: the gateway (<c>switchboard serve</c>, SQLite ledger) is killed with SIGKILL
/// in the middle of concurrent load, restarted on the same files, and every request whose response a client fully
/// received must then be in the ledger, replayed from the journal if the store had not got it yet.
/// </summary>
/// <remarks>
/// The writer stores records within milliseconds, so a kill usually finds almost everything in the store already. The
/// stalled variant holds SQLite's write lock from the test for the second half of the load (a store that lags), so every
/// request completed in that half exists only in the journal when the process dies: the replay is what brings it back.
/// </remarks>
public sealed class CrashDurabilityTests : IAsyncLifetime
{
    // PerClient is far more than the kill lets through: with the journal write inline a request takes ~2 ms, and the load
    // must still be running when the kill comes (it stops at the first failure after it).
    private const int Clients = 4, PerClient = 3000, KillAfter = 150;
    private readonly string _folder = Directory.CreateTempSubdirectory("sb-crash-").FullName;
    private EmulatorHost _emulator = null!;
    private SqliteConnection? _stall;

    public async ValueTask InitializeAsync() => _emulator = await EmulatorHost.StartAsync(new EmulatorOptions());

    [Theory(Timeout = 180_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KillDashNine_UnderLoad_EveryCompletedResponseIsInTheLedgerAfterRestart(bool stallStore)
    {
        var ct = TestContext.Current.CancellationToken;
        var config = Path.Combine(_folder, "switchboard.json");
        await File.WriteAllTextAsync(config, $$"""
            { "Switchboard": { "Providers": { "openai": { "Type": "openai", "BaseUrl": "{{_emulator.BaseUrl}}", "ApiKey": "sk-test-crash" } } } }
            """, ct);
        var database = Path.Combine(_folder, "switchboard.db");

        LedgerLoad load;
        using (var gateway = await GatewayProcess.StartAsync(config, ct))
        {
            load = new LedgerLoad(gateway.BaseUrl, "crash");
            var running = load.RunAsync(Clients, PerClient, stopAtFailure: true, ct);
            await WaitForCompletedAsync(load, running, stallStore ? KillAfter / 2 : KillAfter, gateway);
            if (stallStore)
            {
                _stall = await HoldWriteLockAsync(database, ct);
                var atStall = load.Completed.Count;
                await WaitForCompletedAsync(load, running, atStall + (KillAfter / 2), gateway);
            }

            Assert.True(load.Failures.IsEmpty, $"failed before the kill: {string.Join("\n", load.Failures.Take(5))}\n{gateway.OutputTail}");
            await gateway.KillAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(60), ct);
        }

        var completed = load.Completed.Values.ToList();
        Assert.True(completed.Count >= KillAfter, $"{completed.Count} completed");
        Assert.True(load.Sent < Clients * PerClient && !load.Failures.IsEmpty, "the kill must land in the middle of the load");
        var storedBeforeRestart = await LedgerLoad.SqliteLedgerAsync(database, ct);
        var onlyInJournal = completed.Count(r => !storedBeforeRestart.ContainsKey(r.RequestId));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"sent {load.Sent}, completed {completed.Count}, failed {load.Failures.Count}; in the store at the kill: {completed.Count - onlyInJournal}, only in the journal: {onlyInJournal}");
        if (_stall is not null)
        {
            Assert.True(onlyInJournal > 0, "with the store stalled, the requests completed since must exist only in the journal");
            await _stall.DisposeAsync(); // rolls back: the store is writable again for the restarted gateway
            _stall = null;
        }

        using (var restarted = await GatewayProcess.StartAsync(config, ct))
        {
            Dictionary<string, decimal> stored = [];
            try
            {
                await LedgerSamples.WaitUntilAsync(async () =>
                {
                    stored = await LedgerLoad.SqliteLedgerAsync(database, ct);
                    return completed.All(r => stored.ContainsKey(r.RequestId));
                }, TimeSpan.FromSeconds(60), "the journal replay");
            }
            catch (Exception) when (completed.Any(r => !stored.ContainsKey(r.RequestId)))
            {
                var missing = completed.Where(r => !stored.ContainsKey(r.RequestId)).Select(r => r.RequestId).ToList();
                Assert.Fail($"{missing.Count} of {completed.Count} completed requests are not in the ledger, e.g. {string.Join(", ", missing.Take(5))}\n" +
                    restarted.OutputTail);
            }

            foreach (var request in completed.Where(r => r.CostUsd is not null))
            {
                Assert.Equal(request.CostUsd, stored[request.RequestId]);
            }

            Assert.True(completed.Sum(r => r.CostUsd ?? 0m) > 0m);
        }
    }

    private static async Task WaitForCompletedAsync(LedgerLoad load, Task running, int count, GatewayProcess gateway)
    {
        await LedgerSamples.WaitUntilAsync(() => Task.FromResult(load.Completed.Count >= count || running.IsCompleted),
            TimeSpan.FromSeconds(90), $"{count} completed requests");
        Assert.False(running.IsCompleted, $"the load ended before the kill: {string.Join("\n", load.Failures.Take(5))}\n{gateway.OutputTail}");
    }

    /// <summary>Takes SQLite's write lock (readers still read, writers wait): the gateway's store writes stall behind it.</summary>
    private static async Task<SqliteConnection> HoldWriteLockAsync(string database, CancellationToken ct)
    {
        var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync(ct);
        await using var begin = new SqliteCommand("BEGIN IMMEDIATE", connection);
        await begin.ExecuteNonQueryAsync(ct);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stall is not null)
        {
            await _stall.DisposeAsync();
        }

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
