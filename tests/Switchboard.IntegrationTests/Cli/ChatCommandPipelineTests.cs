using System.CommandLine;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Spectre.Console;
using Switchboard.Cli.Commands;

namespace Switchboard.IntegrationTests.Cli;

/// <summary>
/// <c>switchboard chat</c> runs the gateway's pipeline, not the router alone: tried as a new user would, with a
/// <c>switchboard.json</c> holding a blocking content filter and a tiny global budget, and no provider key (the built-in
/// emulator answers).
/// </summary>
public sealed class ChatCommandPipelineTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sb-chat-cli-").FullName;
    private string ConfigFile => Path.Combine(_folder, "switchboard.json");

    [Fact(Timeout = 120_000)]
    public async Task Chat_RefusesABlockedPromptAndASpentBudget_AsTheGatewayDoes_AndRecordsBoth()
    {
        var ct = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(ConfigFile, """
            {
              "Switchboard": {
                "Guardrails": { "ContentFilter": { "Action": "block", "InputPatterns": ["bluebird-secret"] } },
                "Budgets": [ { "Name": "mini-tiny", "Scope": "model", "Target": "openai/gpt-4.1-nano", "Window": "daily", "LimitUsd": 0.0001 } ]
              }
            }
            """, ct);

        var (blockedCode, blockedOutput) = await RunAsync(ct, "chat", "tell me about bluebird-secret", "--config", ConfigFile);
        Assert.Equal(1, blockedCode);
        Assert.Contains("Blocked by the ContentFilter guardrail", blockedOutput, StringComparison.Ordinal);

        var answered = 0;
        string? refusal = null;
        for (var i = 0; i < 12 && refusal is null; i++)
        {
            // Each holds its worst case (100 output tokens at gpt-4.1-nano's price, ~$0.00004) until it settles at its real cost.
            var (code, output) = await RunAsync(ct, "chat", "hello number " + i.ToString(CultureInfo.InvariantCulture), "--model", "openai/gpt-4.1-nano",
                "--max-tokens", "100", "--config", ConfigFile);
            if (code == 0)
            {
                answered++;
            }
            else
            {
                refusal = output;
            }
        }

        Assert.NotNull(refusal);
        Assert.Contains("mini-tiny", refusal, StringComparison.Ordinal);
        Assert.InRange(answered, 1, 11);

        // Both refusals are in the ledger the gateway and `switchboard usage` read, as attempt 0 of their request.
        await using var db = new SqliteConnection($"Data Source={Path.Combine(_folder, "switchboard.db")}");
        await db.OpenAsync(ct);
        var rows = new List<(string Provider, string Model, string Outcome, long Attempt)>();
        await using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT provider, model, outcome, attempt_number FROM ledger_attempts WHERE attempt_number = 0";
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
            }
        }

        Assert.Contains(("guardrails", "ContentFilter", "blocked", 0L), rows);
        Assert.Contains(("budgets", "mini-tiny", "refused", 0L), rows);
        await using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT COUNT(*) FROM ledger_attempts WHERE outcome = 'success' AND attempt_number > 0";
            Assert.Equal(answered, Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture));
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(CancellationToken ct, params string[] args)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        var root = new RootCommand { ChatCommand.Create(console) };
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = writer, Error = writer }, ct);
        return (code, writer.ToString());
    }
}
