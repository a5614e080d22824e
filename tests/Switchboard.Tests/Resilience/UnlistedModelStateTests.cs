using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Routing;
using Switchboard.Telemetry;
using Switchboard.Tests.Routing;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Resilience;

/// <summary>
/// Names the configuration does not list (<c>anthropic/&lt;anything&gt;</c> the catalog does not know) must not each get
/// their own resilience state, health entry or metric series: a client could otherwise grow the gateway's memory at will.
/// </summary>
public sealed class UnlistedModelStateTests
{
    private const int DistinctNames = 4_000;

    private static RouterHarness Limited() => new(o =>
    {
        o.Providers["anthropic"] = new ProviderOptions { ApiKey = "k", Rpm = 1_000_000, Tpm = 100_000_000 };
        o.Providers["compat"] = new ProviderOptions { Type = ProviderTypes.OpenAICompatible, BaseUrl = new Uri("http://127.0.0.1:1/v1"), Models = { "llama-3" } };
    });

    [Fact]
    public async Task FourThousandUnknownNames_KeepPipelinesLimitersAndHealthBounded()
    {
        var h = Limited();
        for (var i = 0; i < DistinctNames; i++)
        {
            await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask($"anthropic/zz-model-{i}"));
        }

        var (pipelines, budgets, limiters) = h.Resilience.StateCounts;
        Assert.Equal(DistinctNames, h.Anthropic.Calls); // every name is still served
        Assert.InRange(pipelines, 1, 4);
        Assert.InRange(budgets, 1, 4);
        Assert.InRange(limiters, 1, 4);
        Assert.InRange(h.Health.Count, 1, 4);
    }

    [Fact]
    public void ListedModels_KeepTheirOwnState_UnlistedShareOnePerProvider()
    {
        var h = Limited();
        var sonnet = h.Deployment("anthropic", "claude-sonnet-4-6");
        var haiku = h.Deployment("anthropic", "claude-haiku-4-5");
        var listedByProvider = h.Deployment("compat", "llama-3");
        var unknownA = h.Deployment("anthropic", "zz-a");
        var unknownB = h.Deployment("anthropic", "zz-b");

        Assert.True(sonnet.IsListed && haiku.IsListed && listedByProvider.IsListed);
        Assert.False(unknownA.IsListed || unknownB.IsListed);
        Assert.NotEqual(sonnet.StateKey, haiku.StateKey);
        Assert.Equal(unknownA.StateKey, unknownB.StateKey);
        Assert.NotEqual(sonnet.StateKey, unknownA.StateKey);
        Assert.Same(h.Resilience.Limiter(unknownA), h.Resilience.Limiter(unknownB));
        Assert.NotSame(h.Resilience.Limiter(sonnet), h.Resilience.Limiter(haiku));
    }

    [Fact]
    public void RouteTarget_NamedInConfiguration_IsListed()
    {
        var h = new RouterHarness(o =>
        {
            var route = new RouteDefinition();
            route.Targets.Add("anthropic/claude-next-preview");
            o.Models["preview"] = route;
        });

        Assert.True(h.Table.Resolve("preview").Deployments[0].IsListed);
        Assert.True(h.Deployment("anthropic", "claude-next-preview").IsListed);
    }

    [Fact]
    public async Task UnknownNames_AreCountedUnderOneModelLabel()
    {
        var models = new HashSet<string>(StringComparer.Ordinal);
        var routes = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SwitchboardTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Collect(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            lock (models)
            {
                foreach (var tag in tags)
                {
                    if (tag.Key is GenAiAttributes.RequestModel or GenAiAttributes.ResponseModel or GenAiAttributes.Deployment && tag.Value is string m)
                    {
                        models.Add(m);
                    }
                    else if (tag.Key == GenAiAttributes.Route && tag.Value is string r)
                    {
                        routes.Add(r);
                    }
                }
            }
        }

        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => Collect(tags));
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) => Collect(tags));
        listener.SetMeasurementEventCallback<int>((_, _, tags, _) => Collect(tags));
        listener.Start();
        var h = Limited();

        for (var i = 0; i < 50; i++)
        {
            await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask($"anthropic/label-test-{i}"));
        }

        lock (models)
        {
            Assert.DoesNotContain(models, m => m.Contains("label-test-", StringComparison.Ordinal));
            Assert.DoesNotContain(routes, r => r.Contains("label-test-", StringComparison.Ordinal));
            Assert.Contains("other", models);
        }
    }

    [Fact]
    public async Task UnknownName_StillReachesTheProviderUnderItsOwnName()
    {
        var h = Limited();
        var response = await h.Router.GetResponseAsync(RouterHarness.Hello, RouterHarness.Ask("anthropic/zz-exact"));

        Assert.Equal("zz-exact", h.Anthropic.SeenOptions[^1]?.ModelId);
        Assert.Equal("anthropic/zz-exact", response.GetRoutingResult()!.Deployment!.Name);
    }
}
