using System.CommandLine;
using Switchboard.Cli.Configuration;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard config check [--config FILE] [--urls URL]</c>: every configuration error at once and the effective routes,
/// without starting a server (exit code 1 on errors, 2 when the file is missing or not JSON);
/// <c>switchboard config schema</c>: prints the JSON schema of <c>switchboard.json</c>.
/// </summary>
internal static class ConfigCommand
{
    public static Command Create() => new("config", "Check the configuration, or print its JSON schema.") { Check(), Schema() };

    private static Command Check()
    {
        var config = CommonOptions.Config();
        var urls = CommonOptions.Urls();
        var command = new Command("check", "Validate the configuration as start-up does and print the effective routes; starts no server.") { config, urls };
        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var file = parse.GetValue(config);
            ConfigurationReport report;
            try
            {
                report = ConfigurationCheck.Run(CliConfiguration.Load(file), parse.GetValue(urls));
            }
            catch (FileNotFoundException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"Configuration file not found: {e.FileName ?? e.Message}");
                return Task.FromResult(2);
            }
            catch (InvalidDataException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"Configuration file is not valid JSON: {e.InnerException?.Message ?? e.Message}");
                return Task.FromResult(2);
            }

            Print(output, report, Path.GetFullPath(file ?? "switchboard.json"));
            return Task.FromResult(report.Errors.Count == 0 ? 0 : 1);
        });
        return command;
    }

    private static Command Schema()
    {
        var command = new Command("schema", $"Print the JSON schema of switchboard.json (committed as {ConfigurationSchema.RepositoryPath}).");
        command.SetAction((parse, _) =>
        {
            parse.InvocationConfiguration.Output.Write(ConfigurationSchema.Generate());
            return Task.FromResult(0);
        });
        return command;
    }

    private static void Print(TextWriter output, ConfigurationReport report, string file)
    {
        output.WriteLine($"Configuration: {file}{(File.Exists(file) ? "" : " (not found; defaults and environment only)")}");
        output.WriteLine(report.Emulated
            ? $"Providers: none configured; serve and chat answer from the built-in emulator as {string.Join(", ", ConfigurationCheck.EmulatedProviderNames)}"
            : $"Providers: {string.Join(", ", report.Providers)}");
        if (report.Errors.Count > 0)
        {
            output.WriteLine($"{report.Errors.Count} error(s):");
            foreach (var error in report.Errors)
            {
                output.WriteLine($"  - {error}");
            }
        }
        else
        {
            output.WriteLine("No errors.");
        }

        if (report.Routes.Count == 0)
        {
            return;
        }

        output.WriteLine($"Routes (default: {report.DefaultRoute}):");
        var width = report.Routes.Max(r => r.Name.Length);
        foreach (var route in report.Routes)
        {
            var hedge = route.HedgeAtP95 ? ", hedge at p95" : route.HedgeDelay is { } d ? $", hedge after {d.TotalMilliseconds} ms" : "";
            output.WriteLine($"  {route.Name.PadRight(width)}  {route.Policy}{hedge}: {string.Join(" -> ", route.Deployments.Select(x => x.Name))}");
        }
    }
}
