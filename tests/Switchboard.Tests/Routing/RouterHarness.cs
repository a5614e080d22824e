using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Chat;
using Switchboard.Hosting;
using Switchboard.Pricing;
using Switchboard.Providers;
using Switchboard.Resilience;
using Switchboard.Routing;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Routing;

/// <summary>A router over three fake providers (openai, anthropic, gemini) on a <see cref="FakeTimeProvider"/>.</summary>
internal sealed class RouterHarness : IAttemptObserver
{
    public RouterHarness(Action<SwitchboardOptions>? configure = null)
    {
        Options = new SwitchboardOptions();
        Options.Providers["openai"] = new ProviderOptions { ApiKey = "k" };
        Options.Providers["anthropic"] = new ProviderOptions { ApiKey = "k" };
        Options.Providers["gemini"] = new ProviderOptions { ApiKey = "k" };
        var route = new RouteDefinition();
        route.Targets.Add("openai/gpt-4.1");
        route.Targets.Add("anthropic/claude-sonnet-4-6");
        route.Targets.Add("gemini/gemini-2.5-pro");
        Options.Models["main"] = route;
        Options.Routing.Retry.MaxRetries = 0;
        configure?.Invoke(Options);

        Catalog = ModelCatalog.LoadEmbedded();
        Table = Options.CreateRouteTable(Catalog);
        Resilience = new DeploymentResilience(Options.Routing, Options.Providers.AsReadOnly(), Time);
        Planner = new RoutePlanner(Options.Routing, Resilience, Health, TokenEstimator.Default);
        // Probed, so a test reads how each answer was routed from the response (the router reports into the request's context).
        Router = new ContextProbe(new RouterChatClient(Table, Planner, Resilience,
            new Dictionary<string, IChatClient> { ["openai"] = OpenAI, ["anthropic"] = Anthropic, ["gemini"] = Gemini },
            Options.Routing, [Health, this], Time, NullLogger<RouterChatClient>.Instance));
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
    public SwitchboardOptions Options { get; }
    public ModelCatalog Catalog { get; }
    public RouteTable Table { get; }
    public DeploymentResilience Resilience { get; }
    public RoutePlanner Planner { get; }
    public HealthTracker Health { get; } = new();
    public IChatClient Router { get; }
    public FakeChatClient OpenAI { get; } = new("openai");
    public FakeChatClient Anthropic { get; } = new("anthropic");
    public FakeChatClient Gemini { get; } = new("gemini");
    public List<AttemptRecord> Attempts { get; } = [];

    public void OnAttempt(AttemptRecord attempt)
    {
        lock (Attempts)
        {
            Attempts.Add(attempt);
        }
    }

    public static ChatOptions Ask(string model = "main", RouteOptions? route = null, string? requestId = null) =>
        new ChatOptions { ModelId = model }.WithSwitchboard(requestId is null
            ? new SwitchboardContext { Route = route ?? RouteOptions.Default }
            : new SwitchboardContext { Route = route ?? RouteOptions.Default, RequestId = requestId });

    public static List<ChatMessage> Hello => [new(ChatRole.User, "hello")];

    public static Task<ChatResponse> Fail(ProviderErrorKind kind, TimeSpan? retryAfter = null, int? status = null) =>
        Task.FromException<ChatResponse>(new ProviderException(kind, $"emulated {kind}", "fake", status, retryAfter));

    public Deployment Deployment(string provider, string model) => Table.Resolve(provider + "/" + model).Deployments[0];
}
