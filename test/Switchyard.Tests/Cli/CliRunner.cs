using System.Diagnostics;

namespace Switchyard.Tests.Cli;

/// <summary>
/// Runs one <c>switchyard</c> command to completion as a child process, the way a script does, against
/// the gateway at <c>--url</c>, with <c>SWITCHYARD_ADMIN_KEY</c> set (or unset).
/// </summary>
internal static class CliRunner
{
    public static Task<CliResult> RunAsync(string url, string? adminKey, CancellationToken cancellationToken, params string[] args) =>
        RunAsync(url, adminKey, new Dictionary<string, string?>(), cancellationToken, args);

    /// <summary>
    /// Runs with <paramref name="environment"/> added (a null value removes the variable), and without
    /// <c>--url</c> when <paramref name="url"/> is null. <c>SWITCHYARD_URL</c> is removed unless given.
    /// </summary>
    public static async Task<CliResult> RunAsync(string? url, string? adminKey, IDictionary<string, string?> environment, CancellationToken cancellationToken, params string[] args)
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

        if (url is not null)
        {
            info.ArgumentList.Add("--url");
            info.ArgumentList.Add(url);
        }

        info.Environment.Remove("SWITCHYARD_ADMIN_KEY");
        info.Environment.Remove("SWITCHYARD_URL");
        if (adminKey is not null)
        {
            info.Environment["SWITCHYARD_ADMIN_KEY"] = adminKey;
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
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
