using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Bittensor.Consensus.Benchmarks.EpochBenchmarks).Assembly).Run(args);
