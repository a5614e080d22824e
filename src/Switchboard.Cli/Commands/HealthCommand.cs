using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard health [--url]</c>: a running gateway's readiness, as a table.</summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var url = CommonOptions.GatewayUrl();
        var command = new Command("health", "Show a running gateway's dependencies and deployments.") { url };
        command.SetAction(async (parse, ct) =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(url)!), Timeout = TimeSpan.FromSeconds(10) };
            // Details (checks, deployments) need the master key; without it /readyz says ready or not ready only.
            if (Environment.GetEnvironmentVariable("Switchboard__Auth__MasterKey") is { Length: > 0 } master)
            {
                http.DefaultRequestHeaders.Authorization = new("Bearer", master);
            }

            HttpResponseMessage response;
            try
            {
                response = await http.GetAsync("/readyz", ct);
            }
            catch (HttpRequestException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]Gateway not reachable at {parse.GetValue(url)}: {e.Message}[/]");
                return 1;
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            var root = document.RootElement;
            AnsiConsole.MarkupLineInterpolated($"status: [bold]{root.GetProperty("status").GetString()}[/]");
            if (!root.TryGetProperty("checks", out var checks) || !root.TryGetProperty("deployments", out var deployments))
            {
                AnsiConsole.MarkupLine("(details need the master key: set Switchboard__Auth__MasterKey)");
                return response.IsSuccessStatusCode ? 0 : 1;
            }

            foreach (var check in checks.EnumerateObject())
            {
                AnsiConsole.MarkupLineInterpolated($"  {check.Name}: {check.Value.GetString()}");
            }

            var table = new Table().AddColumns("deployment", "circuit", "requests", "success", "latency ms", "last error");
            foreach (var d in deployments.EnumerateArray())
            {
                table.AddRow(
                    Markup.Escape(d.GetProperty("deployment").GetString() ?? ""),
                    d.GetProperty("circuit").GetString() ?? "",
                    d.GetProperty("requests").ToString(),
                    d.GetProperty("success_rate").ToString(),
                    d.TryGetProperty("latency_ms", out var l) ? l.ToString() : "",
                    Markup.Escape(d.TryGetProperty("last_error_kind", out var e) ? e.ToString() : ""));
            }

            AnsiConsole.Write(table);
            return response.IsSuccessStatusCode ? 0 : 1;
        });
        return command;
    }
}
