// Benchmarks of the RESP client against Redis's own tools, each peer measured in the same run (release build only):
//
//   swift run -c release RESPBenchmarks [pipeline] [COUNT]    bulk SET … EX through a pipeline vs redis-cli --pipe
//   swift run -c release RESPBenchmarks latency [--count N]   one command at a time vs redis-benchmark -c 1 -P 1
//   swift run -c release RESPBenchmarks cluster [--count N]   a 3-node cluster pipeline vs one node
//
// Benchmarks/run-redis.sh runs all three; BENCHMARKS.md has the figures.
await RESPBenchmarkCommand.runFromCommandLine()
