using System.Text.RegularExpressions;
using Xunit;

namespace Switchyard.Tests.Client;

/// <summary>docs/client.md shows only code that exists, verbatim, in the client's samples or tests, so it stays true.</summary>
public sealed partial class DocsClientTests
{
    [Fact]
    public void EveryCSharpBlock_IsCodeFromTheSamplesOrTests()
    {
        var root = RepositoryRoot();
        var doc = File.ReadAllText(Path.Combine(root, "docs", "client.md"));
        var sources = Directory.EnumerateFiles(Path.Combine(root, "samples", "dotnet"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "test", "Switchyard.Tests", "Client"), "*.cs"))
            .Select(path => Normalize(File.ReadAllText(path)))
            .ToArray();

        var blocks = CSharpBlock().Matches(doc).Select(m => m.Groups[1].Value).ToArray();

        Assert.True(blocks.Length >= 8, $"only {blocks.Length} C# blocks found");
        Assert.All(blocks, block => Assert.True(sources.Any(s => s.Contains(Normalize(block), StringComparison.Ordinal)), "docs/client.md shows code found in no sample or test:\n" + block));
    }

    // Indentation differs between a block in the doc and the same lines in a method body.
    private static string Normalize(string code) =>
        string.Join('\n', code.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0));

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Switchyard.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("Switchyard.slnx not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
