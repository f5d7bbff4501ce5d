namespace Switchyard.Tests.Cli;

/// <summary>What one run of the <c>switchyard</c> executable printed, and how it exited.</summary>
internal sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}
