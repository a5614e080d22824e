using System.CommandLine;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;
using Spectre.Console.Rendering;
using Switchboard.Gateway.Endpoints;
using Switchboard.Ledger;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard usage [--since 7d] [--until ...] [--by provider|model|key|route|day] [--format table|csv|json]</c>:
/// the usage report read straight from the ledger store the gateway (and <c>switchboard chat</c>) writes to.
/// </summary>
internal static class UsageCommand
{
    private static readonly string[] Groupings = ["provider", "model", "key", "route", "day"];
    private static readonly string[] Formats = ["table", "csv", "json"];

    public static Command Create() => Create(null, TimeProvider.System);

    /// <summary>The command writing to <paramref name="console"/> (default: the terminal), with "7d"-style windows relative to <paramref name="time"/>.</summary>
    internal static Command Create(IAnsiConsole? console, TimeProvider time)
    {
        var since = new Option<string>("--since")
        {
            Description = "Start of the window: a duration back from now (7d, 24h, 30m) or an ISO date/time (UTC unless it says otherwise).",
            DefaultValueFactory = _ => "7d",
        };
        var until = new Option<string?>("--until") { Description = "End of the window (exclusive), same forms as --since (default: now)." };
        var by = new Option<string>("--by") { Description = "Group rows by provider, model, key, route or day.", DefaultValueFactory = _ => "provider" };
        by.AcceptOnlyFromAmong(Groupings);
        var format = new Option<string>("--format") { Description = "table, csv or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong(Formats);
        var config = CommonOptions.Config();
        var command = new Command("usage", "Usage and spend from the ledger: requests, tokens, cost, cache savings, errors, latency.")
        {
            since, until, by, format, config,
        };
        command.SetAction(async (parse, ct) =>
        {
            var output = console ?? AnsiConsole.Console;
            if (!AdminEndpoints.TryParseSince(parse.GetValue(since) ?? "", time, out var from) ||
                !AdminEndpoints.TryParseSince(parse.GetValue(until) ?? "", time, out var to))
            {
                output.MarkupLine("[red]--since and --until take a duration such as 7d, 24h or 30m, or an ISO date/time.[/]");
                return 1;
            }

            var query = new UsageQuery { Since = from, Until = to, By = Enum.Parse<UsageGrouping>(parse.GetValue(by)!, ignoreCase: true) };
            return await RunAsync(output, CliConfiguration.Load(parse.GetValue(config)), query, parse.GetValue(format)!, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(IAnsiConsole output, Microsoft.Extensions.Configuration.IConfiguration configuration, UsageQuery query,
        string format, CancellationToken ct)
    {
        var services = new ServiceCollection().AddLogging().AddCliLedger(configuration);
        await using var provider = services.BuildServiceProvider();
        UsageReport report;
        try
        {
            var options = provider.GetRequiredService<IOptions<LedgerOptions>>().Value;
            if (!options.IsPostgres && SqliteFile(options.EffectiveConnectionString) is { } file && !File.Exists(file))
            {
                output.MarkupLineInterpolated($"[yellow]No ledger at {file} yet: it is created by `switchboard serve` or `switchboard chat`.[/]");
                return 1;
            }

            report = await provider.GetRequiredService<ILedgerStore>().QueryAsync(query, ct);
        }
        catch (OptionsValidationException e)
        {
            output.MarkupLineInterpolated($"[red]Invalid configuration: {string.Join("; ", e.Failures)}[/]");
            return 2;
        }
        catch (Exception e) when (e is SqliteException or Npgsql.NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            output.MarkupLineInterpolated($"[red]The ledger store is not reachable: {e.Message}[/]");
            return 1;
        }

        switch (format)
        {
            case "csv":
                output.Profile.Out.Writer.Write(report.ToCsv());
                break;
            case "json":
                output.Profile.Out.Writer.WriteLine(report.ToJson());
                break;
            default:
                output.Write(Table(report));
                break;
        }

        return 0;
    }

    private static string? SqliteFile(string connectionString)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        return string.IsNullOrEmpty(file) || file == ":memory:" ? null : Path.GetFullPath(file);
    }

    /// <summary>The report as a table narrow enough for 80 columns; CSV and JSON carry every column (attempts, p99, ...).</summary>
    internal static Table Table(UsageReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var window = $"{(report.Since is { } s ? s.ToString("yyyy-MM-dd HH:mm", c) : "the beginning")} to " +
            $"{(report.Until is { } u ? u.ToString("yyyy-MM-dd HH:mm", c) : "now")} UTC";
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"Usage by {report.By.ToString().ToLowerInvariant()}, {window}"))
            .AddColumn(report.By.ToString().ToLowerInvariant())
            .AddColumns(Right("req"), Right("in tok"), Right("out tok"), Right("cost $"), Right("hits"), Right("saved $"), Right("err"),
                Right("p50"), Right("p95"));
        foreach (var row in report.Rows)
        {
            table.AddRow(Cells(row, bold: false));
        }

        table.AddRow(Cells(report.Total, bold: true));
        table.Caption(report.Rows.Count == 0 ? "no requests in this window" : "req: requests; tok: tokens; hits: cache hits; p50/p95: latency ms");
        return table;

        static TableColumn Right(string name) => new TableColumn(name).RightAligned().PadLeft(1).PadRight(0);
    }

    private static IRenderable[] Cells(UsageRow r, bool bold)
    {
        var c = CultureInfo.InvariantCulture;
        string[] values =
        [
            r.Group, r.Requests.ToString("N0", c), r.InputTokens.ToString("N0", c), r.OutputTokens.ToString("N0", c), Money(r.CostUsd),
            r.CacheHits.ToString("N0", c), Money(r.CostSavedUsd), r.Errors == 0 ? "0" : $"{r.Errors.ToString(c)} ({r.ErrorRate.ToString("0.#%", c)})",
            Ms(r.LatencyP50Ms), Ms(r.LatencyP95Ms),
        ];
        return [.. values.Select(v => (IRenderable)new Markup(bold ? $"[bold]{Markup.Escape(v)}[/]" : Markup.Escape(v)))];

        string Ms(double? value) => value is { } v ? v.ToString("0", c) : "-";
        string Money(decimal value) => value.ToString(value is > 0m and < 0.01m ? "0.######" : "0.00", c);
    }
}
