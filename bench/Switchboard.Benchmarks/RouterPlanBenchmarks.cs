using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Chat;
using Switchboard.Hosting;
using Switchboard.Routing;

namespace Switchboard.Benchmarks;

/// <summary>
/// Resolving a route and planning its candidates (context-window fit, policy order, task rule, open circuits) with the
/// three providers configured, as the gateway's DI container builds them.
/// </summary>
[MemoryDiagnoser]
public class RouterPlanBenchmarks
{
    private ServiceProvider _services = null!;
    private RouteTable _routes = null!;
    private RoutePlanner _planner = null!;
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;
    private readonly RouteOptions _hints = new() { Task = "general" };

    [GlobalSetup]
    public void Setup()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:Providers:openai:ApiKey"] = "sk-bench",
            ["Switchboard:Providers:anthropic:ApiKey"] = "sk-ant-bench",
            ["Switchboard:Providers:gemini:ApiKey"] = "bench",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSwitchboard(configuration);
        _services = services.BuildServiceProvider();
        _routes = _services.GetRequiredService<RouteTable>();
        _planner = _services.GetRequiredService<RoutePlanner>();
        _messages = Samples.Messages();
        _options = Samples.Options();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark]
    public int ResolveAndPlanSmart() => _planner.Plan(_routes.Resolve("smart"), _messages, _options, _hints).Candidates.Count;

    [Benchmark]
    public int ResolveAndPlanProviderModel() => _planner.Plan(_routes.Resolve("openai/gpt-4.1-mini"), _messages, _options, _hints).Candidates.Count;
}
