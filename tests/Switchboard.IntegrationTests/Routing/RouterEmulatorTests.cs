using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Chat;
using Switchboard.Emulator;
using Switchboard.Hosting;
using Switchboard.Routing;
using Switchboard.Tests.TestSupport;

namespace Switchboard.IntegrationTests.Routing;

/// <summary>The router as a library (AddSwitchboard) over the real adapters and the emulator.</summary>
public sealed class RouterEmulatorTests
{
    private sealed class Rig : IAsyncDisposable
    {
        public required EmulatorHost Emulator { get; init; }
        public required ServiceProvider Services { get; init; }
        public ContextProbe Client => new(Services.GetRequiredService<IChatClient>());
        public DeploymentHealthView Health => new(Services.GetRequiredService<SwitchboardHealth>());

        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            await Emulator.DisposeAsync();
        }
    }

    private sealed record DeploymentHealthView(SwitchboardHealth Health)
    {
        public string Circuit(string deployment) => Health.Deployments().Single(d => d.Deployment == deployment).Circuit;
    }

    private static async Task<Rig> StartAsync(Dictionary<string, string?>? extra = null, TimeProvider? time = null)
    {
        var emulator = await EmulatorHost.StartAsync(new EmulatorOptions());
        var config = new Dictionary<string, string?>
        {
            ["Switchboard:Routing:Retry:BaseDelayMs"] = "1",
            ["Switchboard:Routing:AttemptTimeoutSeconds"] = "2",
            ["Switchboard:Routing:FirstTokenTimeoutSeconds"] = "2",
            ["Switchboard:Models:chain:Targets:0"] = "anthropic/claude-sonnet-4-6",
            ["Switchboard:Models:chain:Targets:1"] = "openai/gpt-4.1",
            ["Switchboard:Models:chain:Targets:2"] = "gemini/gemini-2.5-pro",
        };
        foreach (var provider in new[] { "openai", "anthropic", "gemini" })
        {
            config[$"Switchboard:Providers:{provider}:BaseUrl"] = emulator.BaseUrl.ToString();
            config[$"Switchboard:Providers:{provider}:ApiKey"] = "test-key";
            config[$"Switchboard:Providers:{provider}:StreamIdleTimeoutSeconds"] = "1";
            config["Switchboard:Ledger:ConnectionString"] = $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("sb-router-").FullName, "ledger.db")}";
        }

        foreach (var (k, v) in extra ?? [])
        {
            config[k] = v;
        }

        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddSwitchboard(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
        return new Rig { Emulator = emulator, Services = services.BuildServiceProvider() };
    }

    private static ChatOptions Chain(bool fallback = true) => new ChatOptions { ModelId = "chain" }
        .WithSwitchboard(new SwitchboardContext { Route = new RouteOptions { Fallback = fallback } });

    private static readonly List<ChatMessage> Hello = [new(ChatRole.User, "hello")];

    [Theory]
    [InlineData("status=529")]
    [InlineData("status=429;retry-after=30")]
    [InlineData("status=500")]
    [InlineData("reset")]
    [InlineData("delay-ms=5000")]
    public async Task PrimaryFaulty_RequestStillSucceedsThroughAnother(string fault)
    {
        await using var rig = await StartAsync();
        rig.Emulator.Options.ProviderFaults["anthropic"] = fault;

        var response = await rig.Client.GetResponseAsync(Hello, Chain());

        Assert.Contains("Emulated reply from openai", response.Text, StringComparison.Ordinal);
        var attempts = response.GetRoutingResult()!.Attempts;
        Assert.Equal("anthropic/claude-sonnet-4-6", attempts[0].Deployment.Name);
        Assert.Equal(AttemptOutcome.Failed, attempts[0].Outcome);
        Assert.Equal("openai/gpt-4.1", attempts[^1].Deployment.Name);
    }

    [Fact]
    public async Task AllFail_OneErrorListingEveryAttempt()
    {
        await using var rig = await StartAsync(new() { ["Switchboard:Routing:Retry:MaxRetries"] = "0" });
        rig.Emulator.Options.Fault = "status=503";

        var error = await Assert.ThrowsAsync<RoutingFailedException>(() => rig.Client.GetResponseAsync(Hello, Chain()));

        Assert.Equal(3, error.Attempts.Count);
        Assert.All(error.Attempts, a => Assert.Equal(503, a.StatusCode));
        Assert.Contains("gemini/gemini-2.5-pro", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamCutBeforeFirstChunk_FailsOver()
    {
        await using var rig = await StartAsync();
        rig.Emulator.Options.ProviderFaults["anthropic"] = "cut-after-chunks=0";

        var text = "";
        RoutingResult? result = null;
        await foreach (var update in rig.Client.GetStreamingResponseAsync(Hello, Chain()))
        {
            text += update.Text;
            result ??= update.GetRoutingResult();
        }

        Assert.StartsWith("Emulated reply from openai", text, StringComparison.Ordinal);
        Assert.Equal("openai/gpt-4.1", result!.Deployment!.Name);
    }

    [Fact]
    public async Task StreamCutAfterFirstChunk_ErrorWithPartialUsage()
    {
        await using var rig = await StartAsync();
        rig.Emulator.Options.ProviderFaults["anthropic"] = "error-after-chunks=3;reply-tokens=30";

        var received = 0;
        var error = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in rig.Client.GetStreamingResponseAsync(Hello, Chain()))
            {
                received += update.Text.Length > 0 ? 1 : 0;
            }
        });

        Assert.True(received > 0);
        Assert.True(error.OutputCommitted);
        Assert.Equal(ProviderErrorKind.Overloaded, error.Kind);
        Assert.NotNull(error.PartialUsage);
        Assert.True(error.PartialUsage!.InputTokenCount > 0);
    }

    [Fact]
    public async Task ProviderReturnsToHealth_UsedAgainAfterTheBreak()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var rig = await StartAsync(new() { ["Switchboard:Routing:Retry:MaxRetries"] = "0" }, time);
        rig.Emulator.Options.ProviderFaults["anthropic"] = "status=529";
        for (var i = 0; i < 3; i++)
        {
            await rig.Client.GetResponseAsync(Hello, Chain());
        }

        Assert.Equal("open", rig.Health.Circuit("anthropic/claude-sonnet-4-6"));
        rig.Emulator.Options.ProviderFaults.Clear();
        var whileOpen = await rig.Client.GetResponseAsync(Hello, Chain());
        Assert.Equal("openai/gpt-4.1", whileOpen.GetRoutingResult()!.Deployment!.Name);

        time.Advance(TimeSpan.FromSeconds(61));
        var afterBreak = await rig.Client.GetResponseAsync(Hello, Chain());

        Assert.Equal("anthropic/claude-sonnet-4-6", afterBreak.GetRoutingResult()!.Deployment!.Name);
        Assert.Equal("closed", rig.Health.Circuit("anthropic/claude-sonnet-4-6"));
    }

    [Fact]
    public async Task PromotionalPrice_EndsAtItsInstant_ForAGatewayThatRunsAcrossIt()
    {
        // gemini-3.8-flash is priced 0.75 / 3.75 per million through 2026-12-31 (a promotion), then 1.50 / 7.50.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 31, 23, 59, 0, TimeSpan.Zero));
        await using var rig = await StartAsync(time: time);
        var options = new ChatOptions { ModelId = "gemini/gemini-3.8-flash" };

        var before = (await rig.Client.GetResponseAsync(Hello, options)).GetRoutingResult()!;
        time.Advance(TimeSpan.FromMinutes(2));
        var after = (await rig.Client.GetResponseAsync(Hello, options)).GetRoutingResult()!;

        var usage = before.Usage!;
        Assert.Equal((usage.InputTokenCount!.Value * 0.75m + usage.OutputTokenCount!.Value * 3.75m) / 1_000_000m, before.CostUsd);
        Assert.Equal(usage.InputTokenCount, after.Usage!.InputTokenCount); // the same prompt and answer, so the same tokens
        Assert.Equal(usage.OutputTokenCount, after.Usage!.OutputTokenCount);
        Assert.Equal(before.CostUsd * 2, after.CostUsd);
    }
}
