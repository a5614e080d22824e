using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console;
using Switchboard.Cli.Commands;
using Switchboard.Emulator;
using Switchboard.IntegrationTests.Ledger;
using Switchboard.Ledger;

namespace Switchboard.IntegrationTests.Cli;

/// <summary><c>switchboard usage</c> run in-process against a real SQLite ledger file found the way the gateway finds it.</summary>
public sealed class UsageCommandTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("sb-usage-cli-").FullName;
    private readonly FakeTimeProvider _time = new(Now);
    private string ConfigFile => Path.Combine(_folder, "switchboard.json");

    public async ValueTask InitializeAsync() => await File.WriteAllTextAsync(ConfigFile, "{}");

    [Fact(Timeout = 30_000)]
    public async Task Usage_Table_ShowsEachProviderAndTheTotal_WithinTheDefaultSevenDays()
    {
        await SeedAsync(TestContext.Current.CancellationToken, 
            Rec("t1", provider: "openai", model: "gpt-4o", cost: 0.0125m, at: Now.AddHours(-1), latencyMs: 200),
            Rec("t2", provider: "anthropic", model: "claude-sonnet-4-6", cost: null, at: Now.AddHours(-2), outcome: LedgerOutcomes.Error),
            Rec("t2", attempt: 2, provider: "openai", model: "gpt-4o", cost: 0.5m, at: Now.AddHours(-2), latencyMs: 400),
            Rec("old", provider: "gemini", model: "gemini-2.5-flash", cost: 7m, at: Now.AddDays(-30)));

        var (code, output) = await RunAsync(TestContext.Current.CancellationToken, "usage", "--config", ConfigFile);

        Assert.Equal(0, code);
        Assert.Contains("Usage by provider, 2025-06-08 12:00 to now UTC", output, StringComparison.Ordinal);
        Assert.DoesNotContain("gemini", output, StringComparison.Ordinal); // 30 days old: outside --since 7d
        var openai = Cells(output, "openai");
        Assert.Equal(["openai", "2", "200", "100", "0.51", "0", "0.00", "0", "300", "390"], openai);
        var anthropic = Cells(output, "anthropic");
        Assert.Equal(["anthropic", "1", "100", "50", "0.00", "0", "0.00", "1 (100%)", "-", "-"], anthropic);
        var total = Cells(output, "total");
        Assert.Equal(["total", "2", "300", "150", "0.51", "0", "0.00", "1 (33.3%)", "300", "390"], total);
    }

    [Fact(Timeout = 30_000)]
    public async Task Usage_CsvAndJson_ByModel_CarryTheExactSums()
    {
        await SeedAsync(TestContext.Current.CancellationToken, 
            Rec("c1", model: "gpt-4o", cost: 0.0000692m, at: Now.AddDays(-3)),
            Rec("c2", model: "gpt-4o", cost: 0.000328m, at: Now.AddDays(-1)),
            Rec("c3", model: "gpt-4.1-mini", cost: 1.1m, at: Now.AddDays(-20)));

        var (code, csv) = await RunAsync(TestContext.Current.CancellationToken, "usage", "--config", ConfigFile, "--since", "30d", "--by", "model", "--format", "csv");
        Assert.Equal(0, code);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("model,requests,attempts,", lines[0], StringComparison.Ordinal);
        Assert.Equal(["gpt-4.1-mini,1,1", "gpt-4o,2,2", "total,3,3"], lines[1..].Select(l => string.Join(',', l.Split(',')[..3])));
        Assert.Equal("1.1003972", lines[^1].Split(',')[7]);

        (code, var json) = await RunAsync(TestContext.Current.CancellationToken, "usage", "--config", ConfigFile, "--since", "2025-06-13T00:00:00Z", "--until", "2025-06-15",
            "--by", "day", "--format", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(json);
        var row = Assert.Single(doc.RootElement.GetProperty("rows").EnumerateArray());
        Assert.Equal("2025-06-14", row.GetProperty("group").GetString());
        Assert.Equal(0.000328m, doc.RootElement.GetProperty("total").GetProperty("cost_usd").GetDecimal());
    }

    [Fact(Timeout = 30_000)]
    public async Task Usage_BadWindow_OrNoLedgerYet_FailsWithAMessage()
    {
        var (code, output) = await RunAsync(TestContext.Current.CancellationToken, "usage", "--config", ConfigFile);
        Assert.Equal(1, code);
        Assert.Contains("No ledger at", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "switchboard.db")), "usage must not create a database");

        await SeedAsync(TestContext.Current.CancellationToken, Rec("b1", at: Now));
        (code, output) = await RunAsync(TestContext.Current.CancellationToken, "usage", "--config", ConfigFile, "--since", "last tuesday");
        Assert.Equal(1, code);
        Assert.Contains("--since and --until", output, StringComparison.Ordinal);

        (code, _) = await RunAsync(TestContext.Current.CancellationToken, "usage", "--config", ConfigFile, "--by", "colour");
        Assert.NotEqual(0, code);
    }

    [Fact(Timeout = 60_000)]
    public async Task Chat_RecordsToTheLedger_SoUsageCountsIt()
    {
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions());
        await File.WriteAllTextAsync(ConfigFile, $$"""
            { "Switchboard": { "Providers": { "openai": { "Type": "openai", "BaseUrl": "{{emulator.BaseUrl}}", "ApiKey": "sk-test-cli" } } } }
            """);
        var root = new RootCommand { ChatCommand.Create() };
        Assert.Equal(0, await root.Parse(["chat", "hello", "--config", ConfigFile]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(0, await root.Parse(["chat", "hello again", "--stream", "--config", ConfigFile]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken));

        _time.SetUtcNow(TimeProvider.System.GetUtcNow());
        var (code, json) = await RunAsync(TestContext.Current.CancellationToken, "usage", "--config", ConfigFile, "--since", "1h", "--format", "json");

        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(json);
        var total = doc.RootElement.GetProperty("total");
        Assert.Equal(2, total.GetProperty("requests").GetInt64());
        Assert.Equal(2, emulator.RequestCount);
        Assert.True(total.GetProperty("cost_usd").GetDecimal() > 0m, json);
        Assert.Equal("openai", Assert.Single(doc.RootElement.GetProperty("rows").EnumerateArray()).GetProperty("group").GetString());
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private static LedgerRecord Rec(string id, int attempt = 1, string provider = "openai", string model = "gpt-4o", decimal? cost = 0.01m,
        DateTimeOffset? at = null, string outcome = LedgerOutcomes.Success, double latencyMs = 100) =>
        LedgerSamples.Record(id, attempt, at, cost, provider, model, outcome: outcome, latencyMs: latencyMs);

    /// <summary>Writes the records where the gateway keeps its ledger by default: <c>switchboard.db</c> beside the configuration.</summary>
    private async Task SeedAsync(CancellationToken ct, params LedgerRecord[] records)
    {
        using var store = new SqliteLedgerStore($"Data Source={Path.Combine(_folder, "switchboard.db")}", TimeProvider.System);
        await store.AppendAsync(records, ct);
    }

    private async Task<(int Code, string Output)> RunAsync(CancellationToken ct, params string[] args)
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
        var root = new RootCommand { UsageCommand.Create(console, _time) };
        var parse = root.Parse(args);
        var code = await parse.InvokeAsync(new InvocationConfiguration { Output = writer, Error = writer }, ct);
        return (code, writer.ToString());
    }

    /// <summary>The cells of the table row whose first cell is <paramref name="group"/>.</summary>
    private static string[] Cells(string table, string group)
    {
        var line = table.Split('\n').Single(l => l.TrimStart().StartsWith("│ " + group + " ", StringComparison.Ordinal));
        return [.. line.Split('│', StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim()).Where(c => c.Length > 0)];
    }
}
