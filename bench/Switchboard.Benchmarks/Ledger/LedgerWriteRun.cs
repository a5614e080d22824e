using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Ledger;

namespace Switchboard.Benchmarks.Ledger;

/// <summary>
/// The whole ledger writer fed the way the gateway feeds it: per request, the attempt is recorded and the caller waits until
/// it is durable in the journal (process durability) before answering. Runs 1 and 64 concurrent callers into a SQLite store
/// and reports the acknowledged rate (every caller's durable wait returned) and the stored rate (every record confirmed in
/// the store, nothing pending), the process's CPU time per record until stored, and the records handed to the store against
/// the rows it holds, so duplicate work shows.
/// </summary>
/// <remarks><c>dotnet run -c Release --project bench/Switchboard.Benchmarks -- ledger-write [RECORDS] [ROUNDS]</c></remarks>
internal static class LedgerWriteRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var records = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 40_000;
        var rounds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var dir = Directory.CreateTempSubdirectory("sb-ledger-write-").FullName;
        try
        {
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var callers in (int[])[1, 64])
                {
                    var r = await RunOnceAsync(Path.Combine(dir, $"r{round}-c{callers}"), records, callers);
                    Console.WriteLine($"round {round} callers {callers,2}: acknowledged {r.Acked:N0} rec/s, stored {r.Stored:N0} rec/s, CPU {r.CpuPerRecord:N1} µs/record, " +
                        $"store inserts {r.Inserted:N0} for {r.Rows:N0} rows");
                }
            }

            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<(double Acked, double Stored, double CpuPerRecord, long Inserted, long Rows)> RunOnceAsync(string dir, int requests, int callers)
    {
        Directory.CreateDirectory(dir);
        var ct = CancellationToken.None;
        var connection = $"Data Source={Path.Combine(dir, "ledger.db")}";
        using var store = new SqliteLedgerStore(connection, TimeProvider.System);
        await store.InitializeAsync(ct);
        var counting = new CountingStore(store);
        using var journal = new LedgerJournal(Path.Combine(dir, "ledger.journal"), NullLogger<LedgerJournal>.Instance, fsync: false);
        await using var writer = new LedgerWriter(counting, journal, Options.Create(new LedgerOptions()), TimeProvider.System, NullLogger<LedgerWriter>.Instance);
        await writer.StartAsync(ct);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var record = BenchRecords.Attempt($"w{i}");
                await RecordAsync(writer, record, ct);
            }
        }, ct)));
        var acked = requests / clock.Elapsed.TotalSeconds;
        while (writer.PendingRecords > 0)
        {
            await Task.Delay(1, ct);
        }

        var stored = requests / clock.Elapsed.TotalSeconds;
        var cpuPerRecord = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / requests;
        await writer.StopAsync(ct);
        var rows = (await store.QueryAsync(new UsageQuery(), ct)).Total.Attempts;
        return (acked, stored, cpuPerRecord, counting.Inserted, rows);
    }

    /// <summary>The gateway's pattern per request: the router's attempt recorded, then a durable wait before the last bytes.</summary>
    private static async Task RecordAsync(LedgerWriter writer, LedgerRecord record, CancellationToken ct)
    {
        writer.Append(record);
        await writer.FlushAsync(ct);
    }

    /// <summary>Counts the records handed to the store (a record inserted twice counts twice).</summary>
    private sealed class CountingStore(ILedgerStore inner) : ILedgerStore
    {
        public long Inserted;

        public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

        public Task AppendAsync(IReadOnlyList<LedgerRecord> batch, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref Inserted, batch.Count);
            return inner.AppendAsync(batch, cancellationToken);
        }

        public Task<UsageReport> QueryAsync(UsageQuery query, CancellationToken cancellationToken) => inner.QueryAsync(query, cancellationToken);

        public Task<decimal> SpentAsync(Switchboard.Ledger.BudgetScope scope, DateTimeOffset since, CancellationToken cancellationToken) =>
            inner.SpentAsync(scope, since, cancellationToken);
    }
}
