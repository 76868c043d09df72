using BenchmarkDotNet.Running;

// Engine benchmarks for the tools suite (no server, no sandbox):
//   dotnet run -c Release --project bench/ChaosLab.EngineBench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
