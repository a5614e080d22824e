using System.Diagnostics;
using System.Globalization;
using Switchboard.Chat;
using Switchboard.Ledger;

namespace Switchboard.Benchmarks.Ledger;

/// <summary>
/// <c>ledger-ids [EXISTING] [NEW]</c>: what the request id's shape costs the SQLite ledger once it holds a user's history.
/// Two ledgers are filled with EXISTING rows (default 1,000,000), one with random ids (<c>Guid.NewGuid</c>, as before
/// 2026-12-06), one with today's time-ordered ids (<see cref="RequestIds"/>); then NEW more rows (default 100,000) are
/// stored into each in the store loop's batches of 500, timed, and the database and WAL sizes reported. Runs twice,
/// alternating, in a temp folder it deletes.
/// </summary>
internal static class LedgerIdOrderRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var existing = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        var added = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
        var dir = Directory.CreateTempSubdirectory("sb-ledger-ids-").FullName;
        try
        {
            for (var round = 1; round <= 2; round++)
            {
                var random = await RateAsync(dir, $"random{round}", existing, added, _ => Guid.NewGuid().ToString("N"));
                var ordered = await RateAsync(dir, $"ordered{round}", existing, added, ms => RequestIds.New(ms));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}, {added:N0} rows into a ledger of {existing:N0}: random ids {random:N0} rows/s, time-ordered ids {ordered:N0} rows/s, ratio {ordered / random:N1}x"));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<double> RateAsync(string dir, string name, int existing, int added, Func<long, string> id)
    {
        var connection = $"Data Source={Path.Combine(dir, name + ".db")}";
        using var store = new SqliteLedgerStore(connection, TimeProvider.System);
        await store.InitializeAsync(CancellationToken.None);
        var ms = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        await FillAsync(store, existing, () => BenchRecords.Attempt(id(ms += 2), DateTimeOffset.FromUnixTimeMilliseconds(ms)));
        var clock = Stopwatch.StartNew();
        await FillAsync(store, added, () => BenchRecords.Attempt(id(ms += 2), DateTimeOffset.FromUnixTimeMilliseconds(ms)));
        return added / clock.Elapsed.TotalSeconds;
    }

    private static async Task FillAsync(SqliteLedgerStore store, int count, Func<LedgerRecord> next)
    {
        var batch = new LedgerRecord[500];
        for (var done = 0; done < count; done += batch.Length)
        {
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = next();
            }

            await store.AppendAsync(batch, CancellationToken.None);
        }
    }
}
