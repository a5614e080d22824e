using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Resilience;
using Switchboard.Routing;

namespace Switchboard.Tests.Resilience;

public sealed class DeploymentResilienceTests
{
    // Found by scripts/bench.sh: a burst of first requests built the same deployment's pipeline on several threads at
    // once, and every build but one failed ("CircuitBreakerStateProvider is already initialized"), answering 502.
    [Fact]
    public void Pipeline_FirstCallsOnManyThreadsAtOnce_AllGetTheSamePipeline()
    {
        const int threads = 8;
        var deployment = new Deployment("openai", "openai", "gpt-4.1-mini", null);
        for (var round = 0; round < 40; round++)
        {
            using var resilience = new DeploymentResilience(new RoutingOptions(), new Dictionary<string, ProviderOptions>(), TimeProvider.System);
            using var start = new Barrier(threads);
            var results = new object?[threads];
            var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    results[i] = resilience.Pipeline(deployment);
                }
                catch (InvalidOperationException e)
                {
                    results[i] = e;
                }
            })).ToList();
            workers.ForEach(t => t.Start());
            workers.ForEach(t => t.Join());

            Assert.All(results, r => Assert.IsNotType<InvalidOperationException>(r));
            Assert.All(results, r => Assert.Same(results[0], r));
        }
    }
}
