using System.Net;
using System.Text;
using System.Text.Json;
using Switchboard.Guardrails;
using Switchboard.Ledger;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>
/// Guardrails on the embeddings endpoints: a user who turns PII redaction or the content filter on expects the texts sent
/// to be embedded to pass the same guards as prompts do, with the same headers, ledger rows and errors in each endpoint's shape.
/// </summary>
public sealed class EmbeddingGuardrailTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task PiiRedact_TheProviderEmbedsPlaceholders_FlaggedInTheHeaderAndTheLedger()
    {
        await using var fx = await GatewayFixture.StartAsync(c => c["Switchboard:Guardrails:Pii:Action"] = "redact");

        using var response = await fx.Http.PostAsync("v1/embeddings",
            Json("""{"model":"text-embedding-3-small","input":["Mail ann@example.com or call +1 415 555 0100 now","plain text"]}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(2, body.RootElement.GetProperty("data").GetArrayLength());
        var sent = Assert.Single(fx.Emulator.Requests).Body;
        Assert.Contains("[EMAIL_1]", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("ann@example.com", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("555 0100", sent, StringComparison.Ordinal);
        Assert.Contains("plain text", sent, StringComparison.Ordinal);
        Assert.Equal("Pii", GatewayEndpointTests.Header(response, "x-switchboard-guardrails"));

        var requestId = response.Headers.GetValues("x-request-id").Single();
        var rows = await EmbeddingGatewayTests.LedgerRowsAsync(fx, requestId, 2);
        var flag = Assert.Single(rows, r => r.AttemptNumber == 0);
        Assert.Equal(GuardrailLedger.Provider, flag.Provider);
        Assert.Equal("Pii", flag.Model);
        Assert.Equal(LedgerOutcomes.Flagged, flag.Outcome);
        Assert.Single(rows, r => r.Outcome == LedgerOutcomes.Success);
    }

    [Fact]
    public async Task ContentFilterBlock_GeminiEmbedContent_400InGeminisShape_NothingSentUpstream_RefusalInTheLedger()
    {
        await using var fx = await GatewayFixture.StartAsync(c =>
        {
            c["Switchboard:Guardrails:ContentFilter:Action"] = "block";
            c["Switchboard:Guardrails:ContentFilter:InputPatterns:0"] = @"\bproject nightjar\b";
        });

        using var response = await fx.Http.PostAsync("v1beta/models/gemini-embedding-001:embedContent",
            Json("""{"content":{"parts":[{"text":"the plans of Project Nightjar"}]}}"""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var error = body.RootElement.GetProperty("error");
        Assert.Equal(400, error.GetProperty("code").GetInt32());
        Assert.Equal("INVALID_ARGUMENT", error.GetProperty("status").GetString());
        Assert.Contains("ContentFilter", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Nightjar", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, fx.Emulator.RequestCount);

        var refusal = Assert.Single(await EmbeddingGatewayTests.LedgerRowsAsync(fx, response.Headers.GetValues("x-request-id").Single(), 1));
        Assert.Equal(GuardrailLedger.Provider, refusal.Provider);
        Assert.Equal(GuardNames.ContentFilter, refusal.Model);
        Assert.Equal(0, refusal.AttemptNumber);
    }

    [Fact]
    public async Task RouteOverride_BlocksPiiOnOneRouteOnly_AndTheDefaultsLeaveEmbeddingsUntouched()
    {
        await using var fx = await GatewayFixture.StartAsync(c => c["Switchboard:Guardrails:Routes:embedding:Pii:Action"] = "block");
        const string Input = """["reach me at ann@example.com"]""";

        using var blocked = await fx.Http.PostAsync("v1/embeddings", Json($$"""{"model":"embedding","input":{{Input}}}"""), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, blocked.StatusCode);
        using (var body = JsonDocument.Parse(await blocked.Content.ReadAsStringAsync(Ct)))
        {
            Assert.Equal("content_filter", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        Assert.Equal(0, fx.Emulator.RequestCount);

        using var passed = await fx.Http.PostAsync("v1/embeddings", Json($$"""{"model":"text-embedding-3-small","input":{{Input}}}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
        Assert.Contains("ann@example.com", Assert.Single(fx.Emulator.Requests).Body, StringComparison.Ordinal);
        Assert.Null(GatewayEndpointTests.Header(passed, "x-switchboard-guardrails"));
    }
}
