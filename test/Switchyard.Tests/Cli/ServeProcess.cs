using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchyard.Tests.Cli;

/// <summary>Runs the real <c>switchyard</c> executable as a child process, the way a user does.</summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];

    private ServeProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public Process Process => _process;

    public static ServeProcess Start(string arguments, IDictionary<string, string?>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "switchyard.dll");
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in (string[])["OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "SWITCHYARD_ADMIN_KEY"])
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        var serve = new ServeProcess(process);
        process.OutputDataReceived += (_, e) => serve.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => serve.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return serve;
    }

    /// <summary>The base address once the banner says where it listens.</summary>
    public async Task<string> WaitListeningAsync(CancellationToken cancellationToken)
    {
        var exited = _process.WaitForExitAsync(cancellationToken);
        var done = await Task.WhenAny(_listening.Task, exited).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        if (done != _listening.Task)
        {
            throw new InvalidOperationException($"switchyard exited with {_process.ExitCode} before listening:\n{Output}");
        }

        return await _listening.Task;
    }

    /// <summary>Completes when a line containing <paramref name="text"/> was written (the banner follows the listening line).</summary>
    public Task WaitForOutputAsync(string text, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return Task.CompletedTask;
            }

            _awaited.Add((text, seen));
        }

        return seen.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
    }

    public async Task<int> WaitExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).WaitForExit();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var (text, seen) in _awaited.Where(a => line.Contains(a.Text, StringComparison.Ordinal)).ToList())
            {
                _awaited.Remove((text, seen));
                seen.TrySetResult();
            }
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(match.Groups[1].Value);
        }
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
