using System.CommandLine;
using Switchboard.Cli.Commands;

var root = new RootCommand("Switchboard: one API in front of OpenAI, Anthropic, Gemini and OpenAI-compatible servers.")
{
    ServeCommand.Create(),
    EmulatorCommand.Create(),
    ChatCommand.Create(),
    UsageCommand.Create(),
    KeysCommand.Create(),
    HealthCommand.Create(),
    ConfigCommand.Create(),
};
var parse = root.Parse(args);

// serve and emulator run an ASP.NET Core host, which handles SIGTERM/SIGINT itself and drains within its shutdown timeout.
// System.CommandLine's own handler would return exit code 143 after 2 s mid-drain, and a second SIGTERM then threw
// InvalidOperationException from it: it is switched off for them.
var hosted = parse.CommandResult.Command.Name is "serve" or "emulator";
var invocation = hosted ? new InvocationConfiguration { ProcessTerminationTimeout = null } : new InvocationConfiguration();
return await parse.InvokeAsync(invocation);
