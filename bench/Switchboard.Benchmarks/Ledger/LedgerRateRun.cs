using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Ledger;

namespace Switchboard.Benchmarks.Ledger;

/// <summary>
/// Sustained ledger write rates, the baseline (962f39d) and today's code in one run, alternating, on files in a temp folder:
/// the SQLite store's batch insert, the journal drain's read-and-parse, and today's whole writer fed the way the gateway
/// feeds it (per request one appended attempt and a durable wait, from 64 concurrent callers).
/// </summary>
internal static class LedgerRateRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var records = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50_000;
        var dir = Directory.CreateTempSubdirectory("sb-ledger-rate-").FullName;
        try
        {
            var ct = CancellationToken.None;
            var sample = Enumerable.Range(0, records).Select(i => BenchRecords.Attempt($"r{i}")).ToArray();
            foreach (var size in (int[])[500, 20])
            {
                for (var round = 1; round <= 2; round++)
                {
                    var old = await StoreRateAsync(dir, $"old{size}-{round}", sample, size, legacy: true, ct);
                    var now = await StoreRateAsync(dir, $"new{size}-{round}", sample, size, legacy: false, ct);
                    Console.WriteLine($"round {round} store insert (batches of {size}): baseline {old:N0} rec/s, now {now:N0} rec/s, ratio {now / old:N1}x");
                }
            }

            var journalPath = Path.Combine(dir, "drain.journal");
            using (var journal = new LedgerJournal(journalPath, NullLogger<LedgerJournal>.Instance, fsync: false))
            {
                foreach (var chunk in sample.Chunk(1000))
                {
                    await journal.AppendAsync(chunk, ct);
                }

                for (var round = 1; round <= 2; round++)
                {
                    var old = await LegacyDrainRateAsync(journalPath, new FileInfo(journalPath).Length, records, ct);
                    var now = await DrainRateAsync(journal, records, ct);
                    Console.WriteLine($"round {round} journal drain read+parse (500 per read): baseline {old:N0} rec/s, now {now:N0} rec/s, ratio {now / old:N1}x");
                }
            }

            for (var round = 1; round <= 2; round++)
            {
                var journalRate = await JournalAppendRateAsync(dir, $"append{round}", sample, ct);
                var walRate = SqliteWalAppendRate(dir, $"wal{round}", sample);
                Console.WriteLine($"round {round} one record per durable append (process durability): journal {journalRate:N0} rec/s, " +
                    $"SQLite WAL table (synchronous=NORMAL, one transaction each) {walRate:N0} rec/s, journal/WAL {journalRate / walRate:N1}x");
            }

            var writer = await WriterRateAsync(dir, records, ct);
            Console.WriteLine($"whole writer, gateway pattern (append + durable wait per request, 64 callers): {writer:N0} requests/s into SQLite");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<double> StoreRateAsync(string dir, string name, LedgerRecord[] sample, int size, bool legacy, CancellationToken ct)
    {
        var connection = $"Data Source={Path.Combine(dir, name + ".db")}";
        using var store = new SqliteLedgerStore(connection, TimeProvider.System);
        await store.InitializeAsync(ct);
        var clock = Stopwatch.StartNew();
        foreach (var batch in sample.Chunk(size))
        {
            if (legacy)
            {
                await LegacySqliteAppend.AppendAsync(connection, batch, ct);
            }
            else
            {
                await store.AppendAsync(batch, ct);
            }
        }

        return sample.Length / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> JournalAppendRateAsync(string dir, string name, LedgerRecord[] sample, CancellationToken ct)
    {
        using var journal = new LedgerJournal(Path.Combine(dir, name + ".journal"), NullLogger<LedgerJournal>.Instance, fsync: false);
        var clock = Stopwatch.StartNew();
        foreach (var record in sample)
        {
            await journal.AppendAsync([record], ct);
        }

        return sample.Length / clock.Elapsed.TotalSeconds;
    }

    /// <summary>SQLite in WAL mode as the journal (PERF-NOTES' candidate): each append its own committed transaction, which
    /// with synchronous=NORMAL survives a crash of the process, the same promise as the journal's default.</summary>
    private static double SqliteWalAppendRate(string dir, string name, LedgerRecord[] sample)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dir, name + ".db")};Pooling=False");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE wal_journal (id INTEGER PRIMARY KEY, line BLOB NOT NULL);";
            setup.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO wal_journal (line) VALUES ($line)";
        var line = insert.Parameters.Add("$line", SqliteType.Blob);
        insert.Prepare();
        var clock = Stopwatch.StartNew();
        foreach (var record in sample)
        {
            line.Value = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(record, LedgerJsonContext.Default.LedgerRecord);
            using var tx = connection.BeginTransaction();
            insert.Transaction = tx;
            insert.ExecuteNonQuery();
            tx.Commit();
        }

        return sample.Length / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> LegacyDrainRateAsync(string path, long end, int records, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long offset = 0;
        var read = 0;
        while (read < records)
        {
            var (n, next) = await LegacySqliteAppend.ReadPendingAsync(path, offset, end, 500, ct);
            read += n;
            offset = next;
        }

        return records / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> DrainRateAsync(LedgerJournal journal, int records, CancellationToken ct)
    {
        // Reads without committing: each read starts at the checkpoint, so this reads the first 500 again and again;
        // the same amount of work per call as the baseline's loop above, which also parses 500 lines per call.
        var clock = Stopwatch.StartNew();
        var read = 0;
        while (read < records)
        {
            read += (await journal.ReadPendingAsync(500, ct)).Records.Count;
        }

        return records / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> WriterRateAsync(string dir, int requests, CancellationToken ct)
    {
        var connection = $"Data Source={Path.Combine(dir, "writer.db")}";
        using var store = new SqliteLedgerStore(connection, TimeProvider.System);
        await store.InitializeAsync(ct);
        using var journal = new LedgerJournal(Path.Combine(dir, "writer.journal"), NullLogger<LedgerJournal>.Instance, fsync: false);
        await using var writer = new LedgerWriter(store, journal, Options.Create(new LedgerOptions()), TimeProvider.System, NullLogger<LedgerWriter>.Instance);
        await writer.StartAsync(ct);
        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var record = BenchRecords.Attempt($"w{i}");
                writer.Append(record);
                await writer.FlushAsync(ct);
            }
        }, ct)));
        while (writer.PendingRecords > 0)
        {
            await Task.Delay(5, ct);
        }

        return requests / clock.Elapsed.TotalSeconds;
    }
}
