using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Switchyard.Benchmarks;

/// <summary>
/// Micro-benchmarks of the request path. Run: <c>dotnet run -c Release --project bench/Switchyard.Benchmarks -- --filter '*'</c>
/// (in-process toolchain, short job; the whole set takes a few minutes on 2 cores).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["semantic-quality", ..])
        {
            SemanticQuality.Run(args.Length > 1 ? args[1] : null);
            return;
        }

        if (args is ["embedding-throughput", ..])
        {
            EmbeddingThroughput.Run(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3);
            return;
        }

        if (args is ["semantic-lookup", ..])
        {
            SemanticLookup.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000, args.Length > 2 ? args[2] : null);
            return;
        }

        if (args is ["seed-traces", var dataDirectory, ..])
        {
            SeedTraces.Run(dataDirectory, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000, args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 7);
            return;
        }

        if (args is ["cache-memory", ..])
        {
            CacheMemory.Measure(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000);
            return;
        }

        var job = Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance);
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithOptions(ConfigOptions.DisableLogFile);
        if (Environment.GetEnvironmentVariable("BENCH_ARTIFACTS") is { Length: > 0 } artifacts)
        {
            config = config.WithArtifactsPath(artifacts);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
