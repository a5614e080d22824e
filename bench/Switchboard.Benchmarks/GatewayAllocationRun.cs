using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Switchboard.Benchmarks;

/// <summary>
/// <c>gateway-alloc [VARIANT] [REQUESTS]</c>: which types the <see cref="GatewayRequestBenchmarks"/> request allocates,
/// from the runtime's AllocationTick events (one sample about every 100 KB allocated, attributed to the type whose
/// allocation crossed it): the top 40 types by sampled bytes, as a share of all samples.
/// </summary>
internal static class GatewayAllocationRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        var variant = args.Length > 1 ? Enum.Parse<GatewayRequestBenchmarks.Layers>(args[1], ignoreCase: true) : GatewayRequestBenchmarks.Layers.Default;
        var requests = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50_000;
        var gateway = new GatewayRequestBenchmarks { Variant = variant };
        gateway.Setup();
        for (var i = 0; i < 5_000; i++)
        {
            await gateway.Request();
        }

        using var listener = new AllocationListener();
        for (var i = 0; i < requests; i++)
        {
            await gateway.Request();
        }

        listener.Dispose();
        gateway.Cleanup();
        var total = listener.Bytes.Values.Sum();
        Console.WriteLine($"| Type ({variant}, {requests} requests) | Share of sampled bytes |");
        Console.WriteLine("|---|---|");
        foreach (var (type, bytes) in listener.Bytes.OrderByDescending(p => p.Value).Take(40))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| `{type}` | {100.0 * bytes / total:F1} % |"));
        }

        return 0;
    }

    private sealed class AllocationListener : EventListener
    {
        public ConcurrentDictionary<string, long> Bytes { get; } = new();

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null)
            {
                return;
            }

            var type = e.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
            var amount = e.PayloadNames!.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload[a], CultureInfo.InvariantCulture) : 100_000;
            Bytes.AddOrUpdate(type, amount, (_, v) => v + amount);
        }
    }
}
