using System.CommandLine;
using Switchyard.Cli.Commands;

var root = new RootCommand("Switchyard: an LLMOps gateway. Run 'switchyard serve' to start.")
{
    ServeCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
