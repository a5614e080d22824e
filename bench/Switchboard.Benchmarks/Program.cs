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

if (args is ["ledger-rate", ..])
{
    return await LedgerRateRun.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
