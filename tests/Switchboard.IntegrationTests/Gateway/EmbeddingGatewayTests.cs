using System.ClientModel;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Embeddings;
using Switchboard.Chat;
using Switchboard.Ledger;
using Switchboard.Telemetry;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>
/// Embeddings through a real gateway in front of the emulator: the official OpenAI SDK (float, base64, dimensions), the
/// Gemini embed calls in Gemini's shape, fallback on a failing provider, ledger rows with costs, the cache, and 400s in
/// each endpoint's own error shape.
/// </summary>
public sealed class EmbeddingGatewayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static EmbeddingClient Sdk(GatewayFixture fx, string model) => new(model, new ApiKeyCredential(GatewayFixture.MasterKey),
        new OpenAIClientOptions { Endpoint = new Uri(fx.BaseUrl, "v1"), NetworkTimeout = TimeSpan.FromSeconds(30) });

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static double Norm(ReadOnlySpan<float> vector)
    {
        double sum = 0;
        foreach (var v in vector)
        {
            sum += (double)v * v;
        }

        return Math.Sqrt(sum);
    }

    private static float[] Floats(JsonElement embedding) => embedding.ValueKind == JsonValueKind.String
        ? [.. Enumerable.Range(0, embedding.GetBytesFromBase64().Length / 4).Select(i => BitConverter.ToSingle(embedding.GetBytesFromBase64(), i * 4))]
        : [.. embedding.EnumerateArray().Select(e => e.GetSingle())];

    [Fact]
    public async Task OpenAISdk_DefaultAndDimensions_AndRawFloatAndBase64_AgreeOnTheVectors()
    {
        await using var fx = await GatewayFixture.StartAsync();
        var client = Sdk(fx, "text-embedding-3-small");

        var full = (await client.GenerateEmbeddingsAsync(["the quick brown fox", "jumps over"], cancellationToken: Ct)).Value;
        Assert.Equal(2, full.Count);
        Assert.All(full, e => Assert.Equal(1536, e.ToFloats().Length));
        Assert.All(full, e => Assert.InRange(Norm(e.ToFloats().Span), 0.999, 1.001));
        Assert.NotEqual(full[0].ToFloats().ToArray(), full[1].ToFloats().ToArray());
        Assert.True(full.Usage.InputTokenCount > 0);

        var shortened = (await client.GenerateEmbeddingsAsync(["the quick brown fox"], new EmbeddingGenerationOptions { Dimensions = 256 }, Ct)).Value;
        Assert.Equal(256, Assert.Single(shortened).ToFloats().Length);

        // What the gateway sent upstream: the dimensions, and base64 (the compact encoding) to OpenAI.
        var upstream = fx.Emulator.Requests.Last(r => r.Path == "/v1/embeddings");
        using (var sent = JsonDocument.Parse(upstream.Body))
        {
            Assert.Equal(256, sent.RootElement.GetProperty("dimensions").GetInt32());
            Assert.Equal("base64", sent.RootElement.GetProperty("encoding_format").GetString());
            Assert.Equal("the quick brown fox", sent.RootElement.GetProperty("input")[0].GetString());
        }

        // The same text as floats and as base64 on the wire (no cache, so both come from the emulator): the same vector.
        float[] asFloats, asBase64;
        using (var response = await fx.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "v1/embeddings")
        {
            Content = Json("""{"model":"text-embedding-3-small","input":"the quick brown fox","encoding_format":"float"}"""),
            Headers = { { "x-switchboard-cache", "no-store" } },
        }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            Assert.Equal("list", body.RootElement.GetProperty("object").GetString());
            Assert.Equal("text-embedding-3-small", body.RootElement.GetProperty("model").GetString());
            Assert.Equal(JsonValueKind.Array, body.RootElement.GetProperty("data")[0].GetProperty("embedding").ValueKind);
            asFloats = Floats(body.RootElement.GetProperty("data")[0].GetProperty("embedding"));
            Assert.Equal("openai", response.Headers.GetValues("x-switchboard-provider").Single());
        }

        using (var response = await fx.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "v1/embeddings")
        {
            Content = Json("""{"model":"text-embedding-3-small","input":["the quick brown fox"],"encoding_format":"base64"}"""),
            Headers = { { "x-switchboard-cache", "no-store" } },
        }, Ct))
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("data")[0].GetProperty("embedding").ValueKind);
            asBase64 = Floats(body.RootElement.GetProperty("data")[0].GetProperty("embedding"));
        }

        Assert.Equal(asFloats, asBase64);
        Assert.Equal(full[0].ToFloats().ToArray(), asFloats);
    }

    [Fact]
    public async Task EmbeddingSpans_AreLabelledEmbeddings_NotChat()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SwitchboardTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var fx = await GatewayFixture.StartAsync();

        await Sdk(fx, "text-embedding-3-small").GenerateEmbeddingsAsync(["spans say what they measure"], cancellationToken: Ct);

        // OpenTelemetry's GenAI conventions: gen_ai.operation.name "embeddings", span "{operation} {model}".
        // (The listener sees every test's spans in this process: each embedding attempt must be labelled so.)
        var attempts = stopped.Where(a => a.Kind == ActivityKind.Client && (string?)a.GetTagItem(GenAiAttributes.RequestModel) == "text-embedding-3-small").ToList();
        Assert.NotEmpty(attempts);
        Assert.All(attempts, attempt =>
        {
            Assert.Equal("embeddings", attempt.GetTagItem(GenAiAttributes.OperationName));
            Assert.Equal("embeddings text-embedding-3-small", attempt.DisplayName);
            Assert.Equal("embeddings", Assert.Single(stopped, a => a.SpanId == attempt.ParentSpanId).GetTagItem(GenAiAttributes.OperationName));
        });
    }

    [Fact]
    public async Task GeminiEmbedContentAndBatch_InGeminiShape_ToGeminiAndToOpenAI()
    {
        await using var fx = await GatewayFixture.StartAsync();
        using var gemini = fx.Anonymous();
        gemini.DefaultRequestHeaders.Add("x-goog-api-key", GatewayFixture.MasterKey);

        using (var single = await gemini.PostAsync("v1beta/models/gemini-embedding-001:embedContent",
            Json("""{"content":{"parts":[{"text":"hello world"}]},"taskType":"RETRIEVAL_QUERY","outputDimensionality":768}"""), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, single.StatusCode);
            using var body = JsonDocument.Parse(await single.Content.ReadAsStringAsync(Ct));
            var values = Floats(body.RootElement.GetProperty("embedding").GetProperty("values"));
            Assert.Equal(768, values.Length);
            Assert.InRange(Norm(values), 0.999, 1.001);
        }

        // Upstream: Gemini's batch call (what the adapter always sends), the task type and dimensions kept.
        var sent = fx.Emulator.Requests[^1];
        Assert.EndsWith("/models/gemini-embedding-001:batchEmbedContents", sent.Path, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(sent.Body))
        {
            var request = Assert.Single(json.RootElement.GetProperty("requests").EnumerateArray());
            Assert.Equal("models/gemini-embedding-001", request.GetProperty("model").GetString());
            Assert.Equal("RETRIEVAL_QUERY", request.GetProperty("taskType").GetString());
            Assert.Equal(768, request.GetProperty("outputDimensionality").GetInt32());
        }

        using (var batch = await gemini.PostAsync("v1/models/gemini-embedding-001:batchEmbedContents", Json("""
            {"requests":[
              {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"one"}]}},
              {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"two"}]}},
              {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"one"}]}}]}
            """), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
            using var body = JsonDocument.Parse(await batch.Content.ReadAsStringAsync(Ct));
            var vectors = body.RootElement.GetProperty("embeddings").EnumerateArray().Select(e => Floats(e.GetProperty("values"))).ToList();
            Assert.Equal(3, vectors.Count);
            Assert.All(vectors, v => Assert.Equal(3072, v.Length));
            Assert.Equal(vectors[0], vectors[2]); // in request order: the same text, the same vector
            Assert.NotEqual(vectors[0], vectors[1]);
        }

        // The Gemini edge in front of an OpenAI model.
        using (var toOpenAI = await gemini.PostAsync("v1beta/models/openai/text-embedding-3-small:embedContent",
            Json("""{"content":{"parts":[{"text":"bonjour"}]}}"""), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, toOpenAI.StatusCode);
            Assert.Equal("openai", toOpenAI.Headers.GetValues("x-switchboard-provider").Single());
            using var body = JsonDocument.Parse(await toOpenAI.Content.ReadAsStringAsync(Ct));
            Assert.Equal(1536, body.RootElement.GetProperty("embedding").GetProperty("values").GetArrayLength());
        }

        Assert.Equal("/v1/embeddings", fx.Emulator.Requests[^1].Path);
    }

    [Fact]
    public async Task FirstProviderFails_FallsBackToGemini_InTheFirstModelsLength_WithALedgerRowAndCostPerAttempt_ThenACacheHit()
    {
        await using var fx = await GatewayFixture.StartAsync();
        fx.Emulator.Options.ProviderFaults["openai"] = "status=503";
        const string Body = """{"model":"embedding","input":["fallback one","fallback two"]}""";

        string requestId;
        float[] first;
        using (var response = await fx.Http.PostAsync("v1/embeddings", Json(Body), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("gemini", response.Headers.GetValues("x-switchboard-provider").Single());
            Assert.Equal("gemini-embedding-001", response.Headers.GetValues("x-switchboard-model").Single());
            Assert.Equal("miss", response.Headers.GetValues("x-switchboard-cache").Single());
            Assert.True(int.Parse(response.Headers.GetValues("x-switchboard-attempts").Single()) >= 2);
            Assert.True(decimal.Parse(response.Headers.GetValues("x-switchboard-cost-usd").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
            requestId = response.Headers.GetValues("x-request-id").Single();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            first = Floats(body.RootElement.GetProperty("data")[0].GetProperty("embedding"));
            Assert.Equal(1536, first.Length); // the route's first model's length: one route, one vector length
            Assert.Equal("gemini-embedding-001", body.RootElement.GetProperty("model").GetString());
        }

        // The attempts the router reported: OpenAI failed, Gemini answered, priced at the embedding price.
        var attempts = fx.Attempts.Where(a => a.RequestId == requestId).OrderBy(a => a.AttemptNumber).ToList();
        Assert.Contains(attempts, a => a.Deployment.Provider == "openai" && a.Outcome == AttemptOutcome.Failed && a.StatusCode == 503);
        var success = Assert.Single(attempts, a => a.Outcome == AttemptOutcome.Success);
        Assert.Equal("gemini/gemini-embedding-001", success.Deployment.Name);
        Assert.True(success.Usage?.InputTokenCount > 0);
        Assert.Equal(success.Usage!.InputTokenCount!.Value * 0.15m / 1_000_000m, success.CostUsd);

        // The ledger: one row per attempt; the answering one carries its cost.
        var rows = await LedgerRowsAsync(fx, requestId, attempts.Count);
        Assert.Equal(attempts.Count, rows.Count);
        Assert.Contains(rows, r => r.Provider == "openai" && r.Outcome == LedgerOutcomes.Error);
        Assert.Equal(success.CostUsd, Assert.Single(rows, r => r.Outcome == LedgerOutcomes.Success).CostUsd);

        // The repeat: a cache hit, no upstream call, the same vectors, a cache-hit row that costs nothing.
        var calls = fx.Emulator.RequestCount;
        using (var again = await fx.Http.PostAsync("v1/embeddings", Json(Body), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal("hit", again.Headers.GetValues("x-switchboard-cache").Single());
            Assert.Equal("0", again.Headers.GetValues("x-switchboard-attempts").Single());
            using var body = JsonDocument.Parse(await again.Content.ReadAsStringAsync(Ct));
            Assert.Equal(first, Floats(body.RootElement.GetProperty("data")[0].GetProperty("embedding")));
            var hitRows = await LedgerRowsAsync(fx, again.Headers.GetValues("x-request-id").Single(), 1);
            var hit = Assert.Single(hitRows);
            Assert.True(hit.CacheHit);
            Assert.Equal(0m, hit.CostUsd);
            Assert.Equal(success.CostUsd, hit.CostSavedUsd);
        }

        Assert.Equal(calls, fx.Emulator.RequestCount);
    }

    [Fact]
    public async Task WrongBodies_AreAnsweredWithEachEndpointsOwn400_AndAnthropicIsRefusedClearly()
    {
        await using var fx = await GatewayFixture.StartAsync();
        foreach (var (body, param) in new[]
        {
            ("""{"model":"text-embedding-3-small"}""", "input"),
            ("""{"model":"text-embedding-3-small","input":[]}""", "input"),
            ("""{"model":"text-embedding-3-small","input":[[1,2,3]]}""", "input"),
            ("""{"model":"text-embedding-3-small","input":"x","encoding_format":"int8"}""", "encoding_format"),
            ("""{"model":"text-embedding-3-small","input":"x","dimensions":0}""", "dimensions"),
            ("""{"input":"x"}""", "model"),
        })
        {
            using var response = await fx.Http.PostAsync("v1/embeddings", Json(body), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            Assert.Equal("invalid_request_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
            Assert.Equal(param, error.RootElement.GetProperty("error").GetProperty("param").GetString());
        }

        using (var gemini = await fx.Http.PostAsync("v1beta/models/gemini-embedding-001:batchEmbedContents",
            Json("""{"requests":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"AA=="}}]}}]}"""), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, gemini.StatusCode);
            using var error = JsonDocument.Parse(await gemini.Content.ReadAsStringAsync(Ct));
            Assert.Equal(400, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
            Assert.Equal("INVALID_ARGUMENT", error.RootElement.GetProperty("error").GetProperty("status").GetString());
        }

        using (var anthropic = await fx.Http.PostAsync("v1/embeddings", Json("""{"model":"anthropic/claude-haiku-4-5","input":"x"}"""), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, anthropic.StatusCode);
            Assert.Contains("no embeddings API", await anthropic.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var unknown = await fx.Http.PostAsync("v1/embeddings", Json("""{"model":"no-such-embedder","input":"x"}"""), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        Assert.DoesNotContain(fx.Emulator.Requests, r => r.Path.Contains("embed", StringComparison.Ordinal));
    }

    internal static async Task<List<LedgerRecord>> LedgerRowsAsync(GatewayFixture fx, string requestId, int expected)
    {
        var reader = (IRecentLedgerReader)fx.App.Services.GetRequiredService<ILedgerStore>();
        for (var i = 0; i < 100; i++)
        {
            var rows = (await reader.RecentAsync(50, CancellationToken.None)).Where(r => r.RequestId == requestId).ToList();
            if (rows.Count >= expected)
            {
                return rows;
            }

            await Task.Delay(100, Ct);
        }

        throw new Xunit.Sdk.XunitException($"Fewer than {expected} ledger rows for request {requestId}.");
    }
}
