using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Budgets;
using Switchboard.IntegrationTests.Gateway;
using Switchboard.Ledger;
using Switchboard.PostgreSql;

namespace Switchboard.IntegrationTests.Ledger;

/// <summary>Several replicas on one real PostgreSQL: budgets enforced across them, virtual keys shared by them.</summary>
[Collection(PostgresServerCollection.Name)]
public sealed class PostgresReplicaTests
{
    [Fact(Timeout = 60_000)]
    public async Task Budget_TwoReplicas_HundredConcurrentReservations_NeverOverrunTogether()
    {
        var ct0 = TestContext.Current.CancellationToken;
        const decimal limit = 10m, worstCase = 1m; // allows k = 10 across both replicas
        var connectionString = await PostgresTestServer.CreateDatabaseAsync();
        var budget = new BudgetDefinition { Name = "shared", Scope = "global", Window = "monthly", LimitUsd = limit };
        var replicas = new List<(PostgresLedgerStore Store, BudgetManager Manager)>();
        for (var i = 0; i < 2; i++)
        {
            var store = new PostgresLedgerStore(connectionString, TimeProvider.System);
            var options = new BudgetOptions();
            options.Budgets.Add(budget);
            var alerter = new CostAlerter(store, null, Options.Create(options), TimeProvider.System, NullLogger<CostAlerter>.Instance);
            replicas.Add((store, new BudgetManager(Options.Create(options), new PostgresBudgetCounter(store, TimeProvider.System, options.HoldTimeout), alerter,
                TimeProvider.System)));
        }

        var scopes = new BudgetScopeSet("any-key", "smart", "gpt-4.1");
        var (succeeded, refused, settled, _) = await BudgetRace.RunAsync([.. replicas.Select(r => r.Manager)], scopes, worstCase,
            requests: 100, parallelism: 32, ct0);

        Assert.Equal(100, succeeded + refused);
        // A refusal needs more than 9 held or spent, and a request holds at most 1: at least 10 got through. Each settles
        // at least 0.6, and the settled total is bounded, so at most (limit + one request) / 0.6 did.
        Assert.InRange(succeeded, 10, (int)((limit + worstCase) / 0.6m));
        Assert.True(settled <= limit + worstCase, $"the replicas together settled {settled}, past {limit} + one request");
        foreach (var (_, manager) in replicas)
        {
            var status = Assert.Single(await manager.StatusAsync(ct0));
            Assert.Equal(settled, status.SpentUsd); // both replicas see the same shared spend
            Assert.Equal(0m, status.ReservedUsd);
        }

        foreach (var (store, _) in replicas)
        {
            await store.DisposeAsync();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task VirtualKeys_LiveInPostgres_ACreatedKeyWorksOnAnotherReplica()
    {
        var ct0 = TestContext.Current.CancellationToken;
        var connectionString = await PostgresTestServer.CreateDatabaseAsync();
        void Postgres(Dictionary<string, string?> c)
        {
            c["Switchboard:Ledger:Provider"] = "postgres";
            c["Switchboard:Ledger:ConnectionString"] = connectionString;
        }

        await using var a = await GatewayFixture.StartAsync(Postgres);
        await using var b = await GatewayFixture.StartAsync(Postgres);

        using var created = await a.Http.PostAsJsonAsync("admin/keys", new { name = "shared-key" }, ct0);
        created.EnsureSuccessStatusCode();
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>(ct0)).GetProperty("key").GetString()!;

        using var onB = await b.WithKey(key).PostAsync("v1/chat/completions",
            new StringContent("""{"model":"openai/gpt-4.1","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), ct0);
        Assert.Equal(System.Net.HttpStatusCode.OK, onB.StatusCode);
        var listed = await b.Http.GetFromJsonAsync<JsonElement>("admin/keys", ct0);
        Assert.Contains("shared-key", listed.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed.ToString(), StringComparison.Ordinal);

        using var wrong = await b.WithKey(key + "x").PostAsync("v1/chat/completions",
            new StringContent("""{"model":"openai/gpt-4.1","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), ct0);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, wrong.StatusCode);
    }
}
