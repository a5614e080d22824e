using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Budgets;
using Switchboard.Ledger;
using Switchboard.PostgreSql;

namespace Switchboard.IntegrationTests.Ledger;

public abstract partial class LedgerStoreTestsBase
{
    private BudgetManager Budgets(TimeProvider time, params BudgetDefinition[] budgets) => Budgets(time, null, budgets);

    private BudgetManager Budgets(TimeProvider time, IHttpClientFactory? http, params BudgetDefinition[] budgets)
    {
        var options = new BudgetOptions { WebhookRetryBaseDelay = TimeSpan.FromMilliseconds(50) };
        options.Budgets.AddRange(budgets);
        var wrapped = Options.Create(options);
        Alerter = new CostAlerter((IBudgetAlertStore)Store, http, wrapped, time, NullLogger<CostAlerter>.Instance);
        // The counter each store comes with: PostgreSQL's shared one, else the in-process one over the store.
        IBudgetCounter counter = Store is PostgresLedgerStore postgres
            ? new PostgresBudgetCounter(postgres, time, options.HoldTimeout)
            : new InProcessBudgetCounter(Store);
        return new BudgetManager(wrapped, counter, Alerter, time);
    }

    private CostAlerter Alerter { get; set; } = null!;

    [Fact(Timeout = 60_000)]
    public async Task Budget_HundredConcurrentReservations_NeverOverrun()
    {
        const decimal limit = 10m, worstCase = 1m; // allows k = 10
        await Store.AppendAsync([LedgerSamples.Record("race-pre", cost: 0.5m, key: "race-key", at: new FakeTimeProvider().GetUtcNow())], TestContext.Current.CancellationToken);
        var manager = Budgets(TimeProvider.System, new BudgetDefinition { Name = "race", Scope = "key", Target = "race-key", Window = "total", LimitUsd = limit });
        var scopes = new BudgetScopeSet("race-key", "smart", "gpt-4o");
        var (succeeded, refused, settled, refusals) = await BudgetRace.RunAsync([manager], scopes, worstCase, requests: 100, parallelism: 100,
            TestContext.Current.CancellationToken);
        Assert.All(refusals, ex =>
        {
            Assert.Equal("race", ex.BudgetName);
            Assert.Equal(limit, ex.LimitUsd);
        });

        // Settles (0.6 to 1.0) free part of each hold, so how many get through depends on timing; each spends at least 0.6.
        Assert.InRange(succeeded, 1, (int)((limit + worstCase) / 0.6m));
        Assert.Equal(100, succeeded + refused);
        Assert.True(0.5m + settled <= limit + worstCase, $"settled {settled} overran the limit");
        var status = Assert.Single(await manager.StatusAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0m, status.ReservedUsd);
        Assert.Equal(0.5m + settled, status.SpentUsd);
    }

    [Fact(Timeout = 30_000)]
    public async Task Budget_DailyWindow_StartsAfreshAtUtcMidnight()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 5, 1, 23, 0, 0, TimeSpan.Zero));
        await Store.AppendAsync([LedgerSamples.Record("day-1", cost: 9m, key: "day-key", at: time.GetUtcNow().AddMinutes(-5))], TestContext.Current.CancellationToken);
        var manager = Budgets(time, new BudgetDefinition { Name = "daily", Scope = "key", Target = "day-key", Window = "daily", LimitUsd = 10m });
        var scopes = new BudgetScopeSet("day-key", null, null);

        await Assert.ThrowsAsync<BudgetExceededException>(() => manager.ReserveAsync(scopes, 2m, TestContext.Current.CancellationToken));
        await using (var ok = await manager.ReserveAsync(scopes, 1m, TestContext.Current.CancellationToken))
        {
            await ok.SettleAsync(0.5m, TestContext.Current.CancellationToken);
        }

        time.Advance(TimeSpan.FromHours(2)); // the next UTC day
        await using var next = await manager.ReserveAsync(scopes, 9.5m, TestContext.Current.CancellationToken);
        Assert.Contains("daily", next.Budgets);
        // Another key is not counted by this budget.
        await using var other = await manager.ReserveAsync(new BudgetScopeSet("other", null, null), 100m, TestContext.Current.CancellationToken);
        Assert.Empty(other.Budgets);
    }

    [Fact(Timeout = 60_000)]
    public async Task Alerts_FireOncePerThresholdCrossing_AndPostTheWebhook()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/alerts/");
        listener.Start();
        var received = new ConcurrentQueue<JsonElement>();
        var calls = 0;
        var server = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception) when (!listener.IsListening)
                {
                    return;
                }

                using var doc = await JsonDocument.ParseAsync(context.Request.InputStream);
                // The first call fails: the alerter must retry it.
                context.Response.StatusCode = Interlocked.Increment(ref calls) == 1 ? 500 : 200;
                if (context.Response.StatusCode == 200)
                {
                    received.Enqueue(doc.RootElement.Clone());
                }

                context.Response.Close();
            }
        });
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var http = services.GetRequiredService<IHttpClientFactory>();
        var budget = new BudgetDefinition
        {
            Name = "alerts-" + Guid.NewGuid().ToString("N")[..8], Window = "monthly", LimitUsd = 10m,
            WebhookUrl = new Uri($"http://127.0.0.1:{port}/alerts/"),
        };
        var manager = Budgets(TimeProvider.System, http, budget);
        var scopes = new BudgetScopeSet("k", "smart", "gpt-4o");

        foreach (var cost in new[] { 3m, 2m, 1m, 2m, 0.5m, 1.5m }) // 3, 5 (50 %), 6, 8 (80 %), 8.5, 10 (100 %)
        {
            await using var reservation = await manager.ReserveAsync(scopes, cost, TestContext.Current.CancellationToken);
            await reservation.SettleAsync(cost, TestContext.Current.CancellationToken);
        }

        await Alerter.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        await LedgerSamples.WaitUntilAsync(() => Task.FromResult(received.Count >= 3), TimeSpan.FromSeconds(10), "three webhooks");
        Assert.Equal([0.5m, 0.8m, 1.0m], received.Select(e => e.GetProperty("threshold").GetDecimal()).Order());
        Assert.All(received, e => Assert.Equal(budget.Name, e.GetProperty("budget").GetString()));
        Assert.Equal(10m, received.Max(e => e.GetProperty("spent_usd").GetDecimal()));

        // A restart (new manager and alerter, same store) with the spend already over every threshold fires nothing again.
        await Store.AppendAsync([LedgerSamples.Record("alerts-spend", cost: 10m, key: "k", at: TimeProvider.System.GetUtcNow())], TestContext.Current.CancellationToken);
        var restarted = Budgets(TimeProvider.System, http, budget);
        await using (var r = await restarted.ReserveAsync(scopes, 0m, TestContext.Current.CancellationToken))
        {
            await r.SettleAsync(0m, TestContext.Current.CancellationToken);
        }

        await Alerter.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.Equal(3, received.Count);
        Assert.Equal(4, calls);
        listener.Stop();
        await server.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
