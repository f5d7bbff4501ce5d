using System.Diagnostics;

namespace Switchyard.Tests.Cli;

/// <summary>
/// Runs one <c>switchyard</c> command to completion as a child process, the way a script does, against
/// the gateway at <c>--url</c>, with <c>SWITCHYARD_ADMIN_KEY</c> set (or unset).
/// </summary>
internal static class CliRunner
{
    public static async Task<CliResult> RunAsync(string url, string? adminKey, CancellationToken cancellationToken, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "switchyard.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.ArgumentList.Add("--url");
        info.ArgumentList.Add(url);
        info.Environment.Remove("SWITCHYARD_ADMIN_KEY");
        if (adminKey is not null)
        {
            info.Environment["SWITCHYARD_ADMIN_KEY"] = adminKey;
        }

        using var process = Process.Start(info)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return new CliResult(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
