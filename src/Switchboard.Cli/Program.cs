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
return await root.Parse(args).InvokeAsync();
