using BenchmarkDotNet.Attributes;
using Switchyard.Prompts.Experiments;

namespace Switchyard.Benchmarks;

/// <summary>
/// What a call in an experiment pays to learn its variant: one SHA-256 of the experiment id and the unit,
/// on the stack, and a walk of the cumulative weights. The budget is 1 µs with no allocation.
/// </summary>
[MemoryDiagnoser]
public class VariantAssignerBenchmarks
{
    private readonly VariantAssigner _assigner = new("0193a4c2-7a51-7c3e-9f0e-3d6b1f2a9c41", [45, 45, 10]);

    [Benchmark(Description = "pick a variant for a user id")]
    public int Pick() => _assigner.Pick("user_2f9c1a7e4b6d");
}
