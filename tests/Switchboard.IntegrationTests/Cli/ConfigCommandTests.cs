using System.CommandLine;
using System.Globalization;
using Switchboard.Cli.Commands;

namespace Switchboard.IntegrationTests.Cli;

/// <summary><c>switchboard config check</c> run in-process on real configuration files: no server is started.</summary>
public sealed class ConfigCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sb-config-cli-").FullName;
    private string ConfigFile => Path.Combine(_folder, "switchboard.json");

    [Fact(Timeout = 30_000)]
    public async Task Check_ValidConfiguration_ExitsZero_AndPrintsTheEffectiveRoutes()
    {
        await File.WriteAllTextAsync(ConfigFile, """
            {
              "$schema": "../schema/switchboard.schema.json",
              "Switchboard": {
                "Providers": { "openai": { "ApiKey": "sk-test-config" }, "anthropic": { "ApiKey": "sk-ant-test-config" } },
                "Models": { "mine": { "Policy": "cheapest", "Targets": ["anthropic/claude-haiku-4-5", "openai/gpt-4.1-mini"] } },
                "Routing": { "DefaultRoute": "mine" }
              }
            }
            """, TestContext.Current.CancellationToken);

        var (code, output, error) = await RunAsync("config", "check", "--config", ConfigFile);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("Providers: anthropic (anthropic), openai (openai)", output, StringComparison.Ordinal);
        Assert.Contains("No errors.", output, StringComparison.Ordinal);
        Assert.Contains("Routes (default: mine):", output, StringComparison.Ordinal);
        Assert.Contains("mine   cheapest: anthropic/claude-haiku-4-5 -> openai/gpt-4.1-mini", output, StringComparison.Ordinal);
        // Built-in routes over the configured providers only: no Gemini model anywhere.
        Assert.Contains("smart  priority: anthropic/claude-sonnet-4-6 -> openai/gpt-4.1", output, StringComparison.Ordinal);
        Assert.DoesNotContain("gemini", output, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-config", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Check_ErrorsInSeveralSections_ListsEveryOne_AndExitsNonZero()
    {
        await File.WriteAllTextAsync(ConfigFile, """
            {
              "Switchboard": {
                "Providers": { "openai": { "ApiKey": "sk-test-config", "StreamIdleTimeoutSeconds": 0 } },
                "Models": { "broken": { "Policy": "fastest", "Targets": ["openai/gpt-4.1"] } },
                "Cache": { "Mode": "sometimes" },
                "Ledger": { "Provider": "oracle" },
                "Guardrails": { "Pii": { "Action": "shred" } },
                "Gateway": { "MaxRequestBytes": 10 }
              }
            }
            """, TestContext.Current.CancellationToken);

        var (code, output, _) = await RunAsync("config", "check", "--config", ConfigFile);

        Assert.Equal(1, code);
        var errors = output.Split('\n').Where(l => l.StartsWith("  - ", StringComparison.Ordinal)).ToList();
        Assert.Contains(errors, e => e.Contains("Switchboard:Providers:openai", StringComparison.Ordinal) && e.Contains("StreamIdleTimeoutSeconds", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Switchboard:Models:broken", StringComparison.Ordinal) && e.Contains("fastest", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Switchboard:Cache:Mode", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Switchboard:Ledger:Provider", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Pii", StringComparison.Ordinal) && e.Contains("shred", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("MaxRequestBytes", StringComparison.Ordinal));
        Assert.Contains($"{errors.Count} error(s):", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "switchboard.db")), "config check must not create the database");
    }

    [Fact(Timeout = 30_000)]
    public async Task Check_NoMasterKey_IsAnErrorOnlyBeyondLoopback()
    {
        await File.WriteAllTextAsync(ConfigFile, "{}", TestContext.Current.CancellationToken);

        var (code, output, _) = await RunAsync("config", "check", "--config", ConfigFile, "--urls", "http://0.0.0.0:8080");
        Assert.Equal(1, code);
        Assert.Contains("  - Switchboard:Auth:MasterKey is required when the gateway listens beyond loopback (http://0.0.0.0:8080).", output, StringComparison.Ordinal);

        (code, _, _) = await RunAsync("config", "check", "--config", ConfigFile, "--urls", "http://127.0.0.1:9000");
        Assert.Equal(0, code);
    }

    [Fact(Timeout = 30_000)]
    public async Task Check_NoProviders_SaysTheEmulatorAnswers_AndShowsItsRoutes()
    {
        await File.WriteAllTextAsync(ConfigFile, "{}", TestContext.Current.CancellationToken);

        var (code, output, _) = await RunAsync("config", "check", "--config", ConfigFile);

        Assert.Equal(0, code);
        Assert.Contains("built-in emulator", output, StringComparison.Ordinal);
        Assert.Contains("fast   priority: openai/gpt-4.1-mini -> gemini/gemini-2.5-flash -> anthropic/claude-haiku-4-5", output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Check_MissingFile_OrNotJson_ExitsTwoWithAMessage()
    {
        var (code, _, error) = await RunAsync("config", "check", "--config", Path.Combine(_folder, "nope.json"));
        Assert.Equal(2, code);
        Assert.Contains("Configuration file not found", error, StringComparison.Ordinal);

        await File.WriteAllTextAsync(ConfigFile, "{ \"Switchboard\": ", TestContext.Current.CancellationToken);
        (code, _, error) = await RunAsync("config", "check", "--config", ConfigFile);
        Assert.Equal(2, code);
        Assert.Contains("not valid JSON", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var error = new StringWriter(CultureInfo.InvariantCulture);
        var root = new RootCommand { ConfigCommand.Create() };
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (code, output.ToString().ReplaceLineEndings("\n"), error.ToString());
    }
}
