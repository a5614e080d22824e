using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Benchmarks;

/// <summary>
/// <c>gateway-cpu [REQUESTS] [ROUNDS]</c>: the <see cref="GatewayRequestBenchmarks"/> request, one gateway per variant in
/// one process, measured as CPU time per request (the process's user + system time, so the ledger writer's thread and
/// the GC count too) and allocated bytes per request (<see cref="GC.GetTotalAllocatedBytes"/>, every thread). Variants take
/// turns round by round, so a busy spell of a shared machine hits them alike; prints each variant's median over rounds.
/// Wall-clock times from BenchmarkDotNet swing by 2-3x on a loaded 2-core VM; CPU time per request swings much less.
/// </summary>
internal static class GatewayCpuRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 7;
        var variants = Enum.GetValues<GatewayRequestBenchmarks.Layers>();
        var gateways = new List<GatewayRequestBenchmarks>();
        foreach (var variant in variants)
        {
            var gateway = new GatewayRequestBenchmarks { Variant = variant };
            gateway.Setup();
            gateways.Add(gateway);
        }

        var cpu = variants.ToDictionary(v => v, _ => new List<double>());
        var allocated = variants.ToDictionary(v => v, _ => new List<double>());
        var process = Process.GetCurrentProcess();
        for (var round = 0; round <= rounds; round++)
        {
            foreach (var gateway in gateways)
            {
                GC.Collect();
                process.Refresh();
                var cpu0 = process.TotalProcessorTime;
                var bytes0 = GC.GetTotalAllocatedBytes(precise: true);
                for (var i = 0; i < requests; i++)
                {
                    await gateway.Request();
                }

                process.Refresh();
                if (round > 0) // round 0 is the warm-up (tier-1 JIT)
                {
                    cpu[gateway.Variant].Add((process.TotalProcessorTime - cpu0).TotalMicroseconds / requests);
                    allocated[gateway.Variant].Add((GC.GetTotalAllocatedBytes(precise: true) - bytes0) / (double)requests);
                }
            }
        }

        foreach (var gateway in gateways)
        {
            gateway.Cleanup();
        }

        Console.WriteLine($"| Variant | CPU µs/request (median of {rounds} rounds × {requests}) | min–max | Allocated B/request |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var variant in variants)
        {
            var c = cpu[variant].Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {variant} | {c[c.Count / 2]:F1} | {c[0]:F1}–{c[^1]:F1} | {allocated[variant].Order().ElementAt(rounds / 2):F0} |"));
        }

        return 0;
    }
}
