using System.CommandLine;
using Switchyard.Cli.Commands;

var root = new RootCommand("Switchyard: an LLMOps gateway. Run 'switchyard serve' to start.")
{
    ServeCommand.Create(),
    TracesCommand.Create(),
    KeysCommand.Create(),
    OwnersCommand.Teams(),
    OwnersCommand.Users(),
    SpendCommand.Create(),
    CacheCommand.Create(),
    GuardCommand.Create(),
    PromptsCommand.Create(),
};

// The host handles SIGTERM / Ctrl-C itself (stop accepting, finish in-flight calls, drain the recorder,
// exit 0); System.CommandLine's own handler would cut that short with exit code 143.
var parsed = root.Parse(args);
if (parsed.Action is System.CommandLine.Invocation.ParseErrorAction onError)
{
    // A mistyped option gets its one-line error on stderr, not the whole help on stdout, where a
    // script capturing $(switchyard keys create ...) would take it for the answer.
    onError.ShowHelp = false;
}

return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
