using BenchmarkDotNet.Running;
using Switchboard.Benchmarks.Ledger;

// dotnet run -c Release --project bench/Switchboard.Benchmarks -- --filter '*'            (full runs)
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- --filter '*' --job short (a quicker estimate)
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- ledger-rate [RECORDS]    (sustained ledger write rates, baseline vs now)
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- ledger-write [RECORDS] [ROUNDS] (Append+FlushAsync, 1 and 64 callers)
if (args is ["ledger-write", ..])
{
    return await LedgerWriteRun.RunAsync(args);
}

// dotnet run -c Release --project bench/Switchboard.Benchmarks -- gateway-cpu [REQUESTS] [ROUNDS]  (CPU µs and bytes per request, by layer)
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- gateway-alloc [VARIANT] [REQUESTS] (what one request allocates, by type)
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- ledger-ids [EXISTING] [NEW] (random vs time-ordered request ids in a full ledger)
if (args is ["ledger-ids", ..])
{
    return await LedgerIdOrderRun.RunAsync(args);
}

if (args is ["ledger-rate", ..])
{
    return await LedgerRateRun.RunAsync(args);
}

if (args is ["gateway-alloc", ..])
{
    return await Switchboard.Benchmarks.GatewayAllocationRun.RunAsync(args);
}

if (args is ["gateway-cpu", ..])
{
    return await Switchboard.Benchmarks.GatewayCpuRun.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
