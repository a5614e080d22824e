using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;
using Switchboard.Gateway.Hosting;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard serve [--config FILE] [--urls URL]</c>: runs the gateway.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var urls = CommonOptions.Urls();
        var command = new Command("serve", "Run the gateway (default http://127.0.0.1:8080).") { config, urls };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var app = await GatewayApp.BuildAsync(new GatewayStartOptions
                {
                    ConfigFile = parse.GetValue(config),
                    Urls = parse.GetValue(urls),
                    Args = [.. parse.UnmatchedTokens],
                    Warmup = true,
                }, ct);
                await app.RunAsync();
                return 0;
            }
            catch (OptionsValidationException e)
            {
                await Console.Error.WriteLineAsync("Invalid configuration:\n  " + string.Join("\n  ", e.Failures));
                return 2;
            }
            catch (FileNotFoundException e)
            {
                await Console.Error.WriteLineAsync($"Configuration file not found: {e.FileName ?? e.Message}");
                return 2;
            }
        });
        return command;
    }
}
