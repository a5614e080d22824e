using System.CommandLine;

namespace Switchboard.Cli.Commands;

internal static class CommonOptions
{
    public static Option<string?> Config() => new("--config") { Description = "Configuration file (default: switchboard.json in the working directory, if present)." };

    public static Option<string?> Urls() => new("--urls") { Description = "URLs to listen on, separated by ';'." };

    public static Option<string> GatewayUrl() => new("--url")
    {
        Description = "The gateway's base URL.",
        DefaultValueFactory = _ => "http://127.0.0.1:8080",
    };
}
