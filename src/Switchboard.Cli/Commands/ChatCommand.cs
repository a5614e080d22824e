using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Switchboard.Budgets;
using Switchboard.Chat;
using Switchboard.Gateway.Hosting;
using Switchboard.Hosting;
using Switchboard.Ledger;
using Switchboard.PostgreSql;
using Switchboard.Redis;
using Switchboard.Routing;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard chat "PROMPT"</c>: runs the whole pipeline in-process (the gateway's, minus HTTP) and prints the
/// answer and how it was served.</summary>
internal static class ChatCommand
{
    public static Command Create(IAnsiConsole? console = null)
    {
        var output = console ?? AnsiConsole.Console;
        var prompt = new Argument<string>("prompt") { Description = "What to ask." };
        var system = new Option<string?>("--system") { Description = "System prompt." };
        var task = new Option<string?>("--task") { Description = "Task type: code_generation, long_context, general, or a configured one." };
        var preferCost = new Option<bool>("--prefer-cost") { Description = "Cheapest healthy candidate first." };
        var model = new Option<string?>("--model") { Description = "Route, provider/model or catalog model (default: the default route)." };
        var stream = new Option<bool>("--stream") { Description = "Stream the answer." };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "The most output tokens to produce (also bounds the cost a budget holds)." };
        var config = CommonOptions.Config();
        var command = new Command("chat", "Ask once, routed in-process.") { prompt, system, task, preferCost, model, stream, maxTokens, config };
        command.SetAction(async (parse, ct) =>
        {
            var configuration = CliConfiguration.Load(parse.GetValue(config));
            EmulatedProviders? emulated = null;
            if (!EmulatedProviders.AnyConfigured(configuration))
            {
                (emulated, var entries) = await EmulatedProviders.StartAsync(ct);
                configuration.AddInMemoryCollection(entries);
                output.MarkupLine("[yellow]No provider key configured: answering from the built-in emulator.[/]");
            }

            await using var _ = emulated;
            var services = new ServiceCollection();
            services.AddLogging(b => b.AddConsole().SetMinimumLevel(LogLevel.Warning));
            services.AddSwitchboard(configuration);
        services.AddSwitchboardRedis(configuration);
            services.AddSwitchboardPostgreSql(configuration);
            services.AddSwitchboardRedis(configuration);
            services.AddSwitchboardPostgreSql(configuration);
            services.AddCliLedger(configuration);
            await using var provider = services.BuildServiceProvider();
            var router = provider.GetRequiredService<ILlmRouter>();
            // Every attempt goes to the gateway's ledger, so `switchboard usage` counts CLI calls too.
            var ledger = provider.GetRequiredService<LedgerWriter>();
            await ledger.StartAsync(ct);
            var route = new RouteOptions { Task = parse.GetValue(task), PreferCost = parse.GetValue(preferCost) };
            var generation = new GenerationOptions { Model = parse.GetValue(model), MaxTokens = parse.GetValue(maxTokens) };
            try
            {
                LlmResponse? response = null;
                if (parse.GetValue(stream))
                {
                    await foreach (var chunk in router.StreamAsync(parse.GetValue(prompt)!, parse.GetValue(system), route, generation, ct))
                    {
                        output.Profile.Out.Writer.Write(chunk.Content);
                        response = chunk.Response ?? response;
                    }

                    output.Profile.Out.Writer.WriteLine();
                }
                else
                {
                    response = await router.GenerateAsync(parse.GetValue(prompt)!, parse.GetValue(system), route, generation, ct);
                    output.Profile.Out.Writer.WriteLine(response.Content);
                }

                if (response is not null)
                {
                    PrintSummary(output, response);
                }

                return 0;
            }
            catch (Exception e) when (e is RoutingFailedException or ProviderException or OptionsValidationException or RequestRefusedException
                or BudgetUnavailableException or UnpricedModelException or InvalidRequestException)
            {
                // The same refusals the gateway answers with an error status: a guardrail, a spent budget, an unpriced model.
                output.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return 1;
            }
            finally
            {
                // Writes the queued records; what the store refuses stays in the CLI journal for the next call.
                using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await ledger.StopAsync(drain.Token);
            }
        });
        return command;
    }

    private static void PrintSummary(IAnsiConsole output, LlmResponse response)
    {
        var routing = response.Routing;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn("");
        table.HideHeaders();
        table.AddRow("provider", Markup.Escape(response.Provider));
        table.AddRow("model", Markup.Escape(response.Model));
        table.AddRow("route", Markup.Escape($"{routing.Route} (task {routing.Task})"));
        table.AddRow("why", Markup.Escape(routing.Reason ?? ""));
        table.AddRow("tokens", $"{routing.Usage?.InputTokenCount ?? 0} in, {routing.Usage?.OutputTokenCount ?? 0} out");
        table.AddRow("cost", response.CostUsd is { } c ? "$" + c.ToString("0.########", CultureInfo.InvariantCulture) : "unknown (model not in catalog)");
        table.AddRow("attempts", Markup.Escape(string.Join(" → ", routing.Attempts.Select(a =>
            $"{a.Deployment.Name} {(a.Outcome == AttemptOutcome.Success ? "ok" : a.ErrorKind?.ToString() ?? a.Outcome.ToString())}"))));
        output.Write(table);
    }
}
