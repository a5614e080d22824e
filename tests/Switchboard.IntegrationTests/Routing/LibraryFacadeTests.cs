using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Chat;
using Switchboard.Emulator;
using Switchboard.Hosting;

namespace Switchboard.IntegrationTests.Routing;

/// <summary>The library as the README shows it: AddSwitchboard + the response cache, used through IChatClient and ILlmRouter.</summary>
public sealed class LibraryFacadeTests
{
    [Fact]
    public async Task ReadmeRegistration_LlmRouterGenerateAndStream_ReportProviderTokensAndCost_CacheServesTheRepeat()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions(), ct);
        var config = new Dictionary<string, string?>();
        foreach (var name in new[] { "openai", "anthropic", "gemini" })
        {
            config[$"Switchboard:Providers:{name}:BaseUrl"] = emulator.BaseUrl.ToString();
            config[$"Switchboard:Providers:{name}:ApiKey"] = "test-key";
        }

        config["Switchboard:Ledger:ConnectionString"] = $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("sb-library-").FullName, "ledger.db")}";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(config).Build();
        var services = new ServiceCollection();
        services.AddSwitchboard(configuration);
        await using var provider = services.BuildServiceProvider();
        var router = provider.GetRequiredService<ILlmRouter>();

        var generated = await router.GenerateAsync("Write a sort in C#", "You are terse.",
            new RouteOptions { Task = "code_generation" }, cancellationToken: ct);

        Assert.Equal("anthropic", generated.Provider); // code_generation prefers Anthropic by default
        Assert.Contains("Emulated reply from anthropic", generated.Content, StringComparison.Ordinal);
        Assert.True(generated.TokensUsed > 0);
        Assert.True(generated.CostUsd > 0m);

        var chunks = new List<LlmStreamChunk>();
        await foreach (var chunk in router.StreamAsync("Tell me a story", route: new RouteOptions { PreferCost = true }, cancellationToken: ct))
        {
            chunks.Add(chunk);
        }

        var last = Assert.Single(chunks, c => c.Response is not null);
        Assert.Same(chunks[^1], last);
        Assert.Equal(string.Concat(chunks.Select(c => c.Content)), last.Response!.Content);
        Assert.True(last.Response.TokensUsed > 0);

        // The IChatClient the app gets is the whole pipeline: a deterministic repeat is served by the cache.
        var chat = provider.GetRequiredService<IChatClient>();
        var options = new ChatOptions { ModelId = "smart", Temperature = 0 };
        await chat.GetResponseAsync("What is 2 + 2?", options, ct);
        var before = emulator.RequestCount;
        var served = new SwitchboardContext(); // how a library caller learns how its request was served
        await chat.GetResponseAsync("What is 2 + 2?", options.Clone().WithSwitchboard(served), ct);
        Assert.Equal(CacheStatus.Hit, served.CacheStatus);
        Assert.Equal(before, emulator.RequestCount);
    }
}
