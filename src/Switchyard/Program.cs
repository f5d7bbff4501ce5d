using System.CommandLine;
using Switchyard.Cli.Commands;

var root = new RootCommand("Switchyard: an LLMOps gateway. Run 'switchyard serve' to start.")
{
    ServeCommand.Create(),
    TracesCommand.Create(),
};

// The host handles SIGTERM / Ctrl-C itself (stop accepting, finish in-flight calls, drain the recorder,
// exit 0); System.CommandLine's own handler would cut that short with exit code 143.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
