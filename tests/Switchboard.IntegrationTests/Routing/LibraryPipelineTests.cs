using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Budgets;
using Switchboard.Chat;
using Switchboard.Emulator;
using Switchboard.Guardrails;
using Switchboard.Hosting;
using Switchboard.Ledger;

namespace Switchboard.IntegrationTests.Routing;

/// <summary>
/// The library is the gateway minus its HTTP edge: <c>AddSwitchboard</c> alone gives an <see cref="IChatClient"/> whose
/// guardrails, budgets, cache and ledger act as the gateway's do (over the emulator and a real SQLite ledger).
/// </summary>
public sealed class LibraryPipelineTests
{
    [Fact(Timeout = 120_000)]
    public async Task AddSwitchboardAlone_GuardrailsBudgetsCacheAndLedgerAct()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions(), ct);
        var folder = Directory.CreateTempSubdirectory("sb-library-pipeline-").FullName;
        var database = Path.Combine(folder, "ledger.db");
        var config = new Dictionary<string, string?>
        {
            ["Switchboard:Ledger:ConnectionString"] = $"Data Source={database}",
            ["Switchboard:Guardrails:ContentFilter:Action"] = "block",
            ["Switchboard:Guardrails:ContentFilter:InputPatterns:0"] = "bluebird-secret",
            ["Switchboard:Budgets:0:Name"] = "app-tiny",
            ["Switchboard:Budgets:0:Scope"] = "model",
            ["Switchboard:Budgets:0:Target"] = "openai/gpt-4.1-nano",
            ["Switchboard:Budgets:0:Window"] = "daily",
            ["Switchboard:Budgets:0:LimitUsd"] = "0.0001",
        };
        foreach (var name in new[] { "openai", "anthropic", "gemini" })
        {
            config[$"Switchboard:Providers:{name}:BaseUrl"] = emulator.BaseUrl.ToString();
            config[$"Switchboard:Providers:{name}:ApiKey"] = "test-key";
        }

        var services = new ServiceCollection();
        services.AddSwitchboard(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
        await using var provider = services.BuildServiceProvider();
        var ledger = provider.GetRequiredService<LedgerWriter>();
        await ledger.StartAsync(ct); // what a host does for its hosted services
        var chat = provider.GetRequiredService<IChatClient>();

        // Guardrails: the blocked prompt never reaches a provider.
        var before = emulator.RequestCount;
        var blocked = new SwitchboardContext();
        var block = await Assert.ThrowsAsync<GuardrailBlockedException>(() =>
            chat.GetResponseAsync("what is bluebird-secret?", new ChatOptions().WithSwitchboard(blocked), ct));
        Assert.Equal("ContentFilter", block.Guard);
        Assert.Equal(before, emulator.RequestCount);

        // Cache: a deterministic repeat is answered from the cache, at no cost and without a provider call.
        var first = new SwitchboardContext();
        await chat.GetResponseAsync("What is 2 + 2?", new ChatOptions { Temperature = 0 }.WithSwitchboard(first), ct);
        Assert.Equal(CacheStatus.Miss, first.CacheStatus);
        Assert.True(first.Routing!.CostUsd > 0m);
        var calls = emulator.RequestCount;
        var repeat = new SwitchboardContext();
        await chat.GetResponseAsync("What is 2 + 2?", new ChatOptions { Temperature = 0 }.WithSwitchboard(repeat), ct);
        Assert.Equal(CacheStatus.Hit, repeat.CacheStatus);
        Assert.Equal(calls, emulator.RequestCount);

        // Budgets: each request holds its worst case (100 output tokens at gpt-4.1-nano's price, ~$0.00004) and settles at
        // its real cost; the tiny budget refuses once what is spent leaves no room for that worst case.
        BudgetExceededException? refused = null;
        var answered = 0;
        for (var i = 0; i < 12 && refused is null; i++)
        {
            try
            {
                await chat.GetResponseAsync("hello number " + i.ToString(CultureInfo.InvariantCulture),
                    new ChatOptions { ModelId = "openai/gpt-4.1-nano", MaxOutputTokens = 100 }, ct);
                answered++;
            }
            catch (BudgetExceededException e)
            {
                refused = e;
            }
        }

        Assert.NotNull(refused);
        Assert.Equal("app-tiny", refused.BudgetName);
        Assert.InRange(answered, 1, 11);

        // Ledger: every one of those is recorded, the refusals as attempt 0 of their request.
        await ledger.StopAsync(ct);
        await using var db = new SqliteConnection($"Data Source={database}");
        await db.OpenAsync(ct);
        Assert.Equal(1, await CountAsync(db, "provider = 'guardrails' AND model = 'ContentFilter' AND outcome = 'blocked'", ct));
        Assert.Equal(1, await CountAsync(db, "provider = 'budgets' AND model = 'app-tiny' AND outcome = 'refused'", ct));
        Assert.Equal(1, await CountAsync(db, "cache_hit = 1", ct));
        Assert.Equal(1 + answered, await CountAsync(db, "outcome = 'success' AND cache_hit = 0", ct));
        Assert.Equal(1, await CountAsync(db, $"request_id = '{blocked.RequestId}'", ct));
    }

    private static async Task<int> CountAsync(SqliteConnection db, string where, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM ledger_attempts WHERE " + where;
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }
}
