using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard prompts push DIR [--label L]... [--message M] [--dry-run]</c>: every prompt file under DIR
/// (<see cref="PromptFiles"/>) as a <c>POST /api/prompts</c>. The gateway makes a version only when the content
/// changed, so pushing the same directory twice creates nothing the second time.
/// </summary>
internal static class PromptsPushCommand
{
    public static Command Create(ApiOptions api)
    {
        var directory = new Argument<DirectoryInfo>("DIR") { Description = "A directory of prompt files: *.yaml, *.yml, *.md (subdirectories too; names starting with '.' are skipped)" };
        var labels = new Option<string[]>("--label") { Description = "A label to point at each pushed version (repeatable), besides the file's labels" };
        var message = new Option<string?>("--message", "-m") { Description = "The commit message of versions whose file gives none" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and check the files, push nothing (needs no gateway)" };
        var command = api.AddTo(new Command("push", "Push a directory of prompt files; a version is made only for changed content") { directory, labels, message, dryRun });
        command.SetAction(async (result, ct) =>
        {
            var dir = result.GetValue(directory)!;
            if (!dir.Exists)
            {
                await Console.Error.WriteLineAsync($"DIR: '{dir.FullName}' is not a directory.").ConfigureAwait(false);
                return ExitCodes.InvalidConfiguration;
            }

            var files = PromptFiles.Find(dir.FullName);
            if (files.Count == 0)
            {
                await Console.Error.WriteLineAsync($"No prompt files (*.yaml, *.yml, *.md) in '{dir.FullName}'.").ConfigureAwait(false);
                return ExitCodes.InvalidConfiguration;
            }

            var extraLabels = result.GetValue(labels) ?? [];
            var defaultMessage = result.GetValue(message);
            var read = new List<(string Shown, PromptFileResult File)>();
            var failed = false;
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var path in files)
            {
                var shown = Path.GetRelativePath(dir.FullName, path);
                PromptFileResult file;
                try
                {
                    file = PromptFiles.Read(path, await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    file = PromptFileResult.Fail($"cannot be read: {ex.Message}");
                }

                if (file.Body is { } body)
                {
                    Complete(body, extraLabels, defaultMessage);
                    // Two files for one name would push alternately on every run and never settle.
                    if (seen.TryGetValue(file.Name!, out var first))
                    {
                        file = PromptFileResult.Fail($"the prompt '{file.Name}' is already pushed from {first}");
                    }
                    else
                    {
                        seen[file.Name!] = shown;
                    }
                }

                read.Add((shown, file));
            }

            if (result.GetValue(dryRun))
            {
                foreach (var (shown, file) in read)
                {
                    failed |= await ReportAsync(shown, file.Error, file.Error is null ? $"ok {file.Name} ({shown})" : null).ConfigureAwait(false);
                }

                return failed ? ExitCodes.RequestFailed : ExitCodes.Success;
            }

            return await ApiClient.RunAsync(result, api, async client =>
            {
                foreach (var (shown, file) in read)
                {
                    if (file.Body is not { } body)
                    {
                        failed |= await ReportAsync(shown, file.Error, null).ConfigureAwait(false);
                        continue;
                    }

                    try
                    {
                        var answer = await client.SendAsync(HttpMethod.Post, "/api/prompts", body, ct).ConfigureAwait(false);
                        using var document = JsonDocument.Parse(answer);
                        var root = document.RootElement;
                        var what = root.GetProperty("created").GetBoolean() ? "created" : "unchanged";
                        await ReportAsync(shown, null, $"{what} {root.GetProperty("name").GetString()}@{root.GetProperty("version").GetInt32()} ({shown})").ConfigureAwait(false);
                    }
                    catch (ApiException ex)
                    {
                        // One refused file must not stop the others: the run reports every file, then fails.
                        failed |= await ReportAsync(shown, $"{ex.Status}: {ex.Message}", null).ConfigureAwait(false);
                    }
                }

                return failed ? ExitCodes.RequestFailed : ExitCodes.Success;
            }, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static void Complete(JsonObject body, string[] labels, string? message)
    {
        if (labels.Length > 0)
        {
            var all = body["labels"] as JsonArray ?? [];
            foreach (var label in labels.Where(l => !all.Any(a => a?.GetValue<string>() == l)))
            {
                all.Add(label);
            }

            body["labels"] = all;
        }

        if (message is not null && body["message"] is null)
        {
            body["message"] = message;
        }
    }

    /// <summary>Prints the file's line (errors on stderr); true when it failed.</summary>
    private static async Task<bool> ReportAsync(string shown, string? error, string? line)
    {
        if (error is not null)
        {
            await Console.Error.WriteLineAsync($"error {shown}: {error}").ConfigureAwait(false);
            return true;
        }

        await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
        return false;
    }
}
