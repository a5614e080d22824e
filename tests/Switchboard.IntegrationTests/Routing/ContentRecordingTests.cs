using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Emulator;
using Switchboard.Hosting;
using Switchboard.Telemetry;

namespace Switchboard.IntegrationTests.Routing;

/// <summary><c>Switchboard:Telemetry:RecordContent</c>: prompt and answer text on spans only when switched on.</summary>
public sealed class ContentRecordingTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PromptAndAnswerText_AreOnSpans_OnlyWhenRecordContentIsOn(bool recordContent)
    {
        var prompt = $"tell me about marker-{Guid.NewGuid():N}";
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith(SwitchboardTelemetry.Name, StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var emulator = await EmulatorHost.StartAsync(new EmulatorOptions());
        var services = new ServiceCollection();
        services.AddSwitchboard(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Ledger:ConnectionString"] = $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("sb-content-").FullName, "ledger.db")}",
            ["Switchboard:Providers:openai:BaseUrl"] = emulator.BaseUrl.ToString(),
            ["Switchboard:Providers:openai:ApiKey"] = "test-key",
            ["Switchboard:Telemetry:RecordContent"] = recordContent ? "true" : "false",
        }).Build());
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync(prompt, new ChatOptions { ModelId = "openai/gpt-4.1" });

        var ours = stopped.Where(a => a.Tags.Concat(a.TagObjects.Select(t => new KeyValuePair<string, string?>(t.Key, t.Value?.ToString())))
            .Any(t => t.Value?.Contains(prompt, StringComparison.Ordinal) == true)).ToList();
        var withAnswer = stopped.Where(a => a.TagObjects.Any(t => t.Value?.ToString()?.Contains(response.Text[..20], StringComparison.Ordinal) == true)).ToList();
        Assert.NotEmpty(stopped);
        if (recordContent)
        {
            Assert.Single(ours);
            Assert.Single(withAnswer);
        }
        else
        {
            Assert.Empty(ours);
            Assert.Empty(withAnswer);
        }
    }
}
