using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Switchboard.Benchmarks -- --filter '*'            (full runs)
// dotnet run -c Release --project bench/Switchboard.Benchmarks -- --filter '*' --job short (a quicker estimate)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
