using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Budgets;
using Switchboard.Chat;
using Switchboard.Gateway.Auth;
using Switchboard.Gateway.Edges.Responses.Storage;
using Switchboard.Gateway.Hosting;
using Switchboard.Gateway.Http;
using Switchboard.Guardrails;
using Switchboard.Policy;
using Switchboard.Pricing;

namespace Switchboard.Tests.Gateway;

/// <summary>
/// The gateway is an edge: these drive <see cref="ChatHandler"/> over a stub pipeline (no router, no providers) and check
/// what the edge owns: the request context it builds, the headers and status codes it writes, the error shapes.
/// </summary>
public sealed class ChatHandlerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NonStreaming_BuildsTheContext_AndWritesTheAnswerWithRoutingHeaders()
    {
        var pipeline = new StubPipeline((messages, context) =>
        {
            context.Routing = Routed(context, cost: 0.0123m);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi there")) { ModelId = "gpt-4.1", FinishReason = ChatFinishReason.Stop };
        });
        var http = Post("""{"model":"smart","messages":[{"role":"user","content":"hello"}]}""",
            ("x-switchboard-task", "code_generation"), ("x-switchboard-cache", "no-store"));

        await Handler(pipeline).HandleAsync(http, OpenAIProtocol.Instance);

        Assert.Equal(200, http.Response.StatusCode);
        var seen = Assert.Single(pipeline.Contexts);
        Assert.Equal("req-1", seen.RequestId);
        Assert.Equal("local", seen.Caller!.Id);
        Assert.Null(seen.Caller.KeyId);
        Assert.Equal("code_generation", seen.Route.Task);
        Assert.Equal(CacheDirective.NoStore, seen.CacheRequest!.Directive);
        Assert.Equal("smart", pipeline.Models.Single());
        Assert.Equal("openai", http.Response.Headers["x-switchboard-provider"].ToString());
        Assert.Equal("0.0123", http.Response.Headers["x-switchboard-cost-usd"].ToString());
        Assert.Equal("1", http.Response.Headers["x-switchboard-attempts"].ToString());
        using var body = JsonDocument.Parse(Body(http));
        Assert.Equal("hi there", body.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    public static TheoryData<string, int, string> Refusals => new()
    {
        { "budget", 402, "budget_exceeded" },
        { "guardrail", 400, "content_filter" },
        { "model", 403, "model_not_allowed" },
        { "rate", 429, "rate_limit_exceeded" },
        { "unpriced", 402, "unpriced_model" },
        { "price-field", 400, "invalid_request" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task APipelineRefusal_IsTheEndpointsOwnErrorShape_WithItsStatus(string refusal, int status, string code)
    {
        Exception error = refusal switch
        {
            "budget" => new BudgetExceededException("team", 1m, 1m),
            "guardrail" => new GuardrailBlockedException("ContentFilter", "input", "denied content"),
            "model" => new ModelNotAllowedException("smart"),
            "rate" => new CallerRateLimitedException(7),
            "unpriced" => new UnpricedModelException("openai/new-model"),
            _ => new InvalidRequestException("'service_tier' changes the price", "service_tier"),
        };
        var http = Post("""{"model":"smart","messages":[{"role":"user","content":"hello"}]}""");

        await Handler(new StubPipeline((_, _) => throw error)).HandleAsync(http, OpenAIProtocol.Instance);

        Assert.Equal(status, http.Response.StatusCode);
        using var body = JsonDocument.Parse(Body(http));
        Assert.Equal(code, body.RootElement.GetProperty("error").GetProperty("code").GetString());
        if (refusal == "rate")
        {
            Assert.Equal("7", http.Response.Headers.RetryAfter.ToString());
        }
    }

    [Fact]
    public async Task InvalidCacheDirective_Is400_AndThePipelineIsNeverCalled()
    {
        var pipeline = new StubPipeline((_, _) => throw new InvalidOperationException("must not be called"));
        var http = Post("""{"model":"smart","messages":[{"role":"user","content":"hello"}]}""", ("x-switchboard-cache", "sometimes"));

        await Handler(pipeline).HandleAsync(http, OpenAIProtocol.Instance);

        Assert.Equal(400, http.Response.StatusCode);
        Assert.Empty(pipeline.Contexts);
        Assert.Contains("invalid_cache_directive", Body(http), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_FailingAfterTheFirstChunk_EndsWithAnErrorFrame_NeverDone()
    {
        var pipeline = new StubPipeline((_, context) =>
        {
            context.Routing = Routed(context, cost: null);
            return null!;
        })
        {
            Updates = [new ChatResponseUpdate(ChatRole.Assistant, "partial")],
            FailAfterUpdates = new ProviderException(ProviderErrorKind.ServerError, "upstream broke", "openai"),
        };
        var http = Post("""{"model":"smart","stream":true,"messages":[{"role":"user","content":"hello"}]}""");

        await Handler(pipeline).HandleAsync(http, OpenAIProtocol.Instance);

        var text = Body(http);
        Assert.Equal(200, http.Response.StatusCode);
        Assert.Equal("text/event-stream", http.Response.ContentType);
        Assert.Equal("openai", http.Response.Headers["x-switchboard-provider"].ToString());
        Assert.Contains("partial", text, StringComparison.Ordinal);
        Assert.Contains("\"error\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Responses_StoredBeforeTheCompletionIsWritten(bool stream)
    {
        var http = Post($$"""{"model":"m","input":"hi","stream":{{(stream ? "true" : "false")}}}""");
        var store = new SpyResponseStore(() => Body(http));
        var pipeline = new StubPipeline((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "hello")) { FinishReason = ChatFinishReason.Stop })
        {
            Updates = [new ChatResponseUpdate(ChatRole.Assistant, "hello")],
        };

        await Handler(pipeline).HandleAsync(http, Responses(store));

        Assert.Equal(200, http.Response.StatusCode);
        var (saved, bodyThen) = Assert.Single(store.Saves);
        Assert.DoesNotContain("response.completed", bodyThen, StringComparison.Ordinal);
        if (!stream)
        {
            Assert.Empty(bodyThen); // non-streaming: nothing of the body was sent yet
        }
        else
        {
            Assert.Contains("response.output_text.delta", bodyThen, StringComparison.Ordinal); // the stream was under way
        }

        Assert.Equal("local", saved.Owner);
        Assert.Contains(saved.Id, Body(http), StringComparison.Ordinal);
        Assert.Contains(stream ? "response.completed" : "\"object\":\"response\"", Body(http), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_UnknownPreviousId_400BeforeThePipeline_StoreDown500()
    {
        var pipeline = new StubPipeline((_, _) => throw new InvalidOperationException("the pipeline must not run"));
        var http = Post("""{"model":"m","input":"hi","previous_response_id":"resp_x"}""");

        await Handler(pipeline).HandleAsync(http, Responses(new SpyResponseStore(() => "")));

        Assert.Equal(400, http.Response.StatusCode);
        using (var body = JsonDocument.Parse(Body(http)))
        {
            Assert.Equal("previous_response_not_found", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        var down = Post("""{"model":"m","input":"hi","previous_response_id":"resp_x"}""");
        await Handler(pipeline).HandleAsync(down, Responses(new SpyResponseStore(() => "") { Down = true }));
        Assert.Equal(500, down.Response.StatusCode);
        Assert.Empty(pipeline.Contexts);
    }

    private static ResponsesProtocol Responses(IResponseStore store) =>
        new(new ResponsesState(store, Options.Create(new ResponseStoreOptions()), TimeProvider.System, NullLogger<ResponsesState>.Instance));

    /// <summary>Records each stored response with what the client had received when it was stored.</summary>
    private sealed class SpyResponseStore(Func<string> bodySoFar) : IResponseStore
    {
        public List<(StoredResponse Response, string BodyThen)> Saves { get; } = [];

        public bool Down { get; init; }

        public Task<bool> SaveAsync(StoredResponse response, CancellationToken cancellationToken)
        {
            Saves.Add((response, bodySoFar()));
            return Task.FromResult(true);
        }

        public Task<StoredResponse?> GetAsync(string id, string owner, CancellationToken cancellationToken) =>
            Down ? throw new InvalidOperationException("store down") : Task.FromResult<StoredResponse?>(null);

        public Task<bool> DeleteAsync(string id, string owner, CancellationToken cancellationToken) => Task.FromResult(false);

        public Task<string?> GetItemAsync(string itemId, string owner, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
    }

    private static RoutingResult Routed(SwitchboardContext context, decimal? cost)
    {
        var deployment = new Deployment("openai", "openai", "gpt-4.1", null);
        var result = new RoutingResult { RequestId = context.RequestId, Route = "smart", Deployment = deployment, CostUsd = cost };
        result.StartAttempt();
        return result;
    }

    private static ChatHandler Handler(IChatClient pipeline) =>
        new(pipeline, new Authenticator(Options.Create(new AuthOptions()), new NoKeys(), TimeProvider.System), TokenEstimator.Default,
            Options.Create(new GatewayOptions()), TimeProvider.System, NullLogger<ChatHandler>.Instance);

    private static DefaultHttpContext Post(string json, params (string Name, string Value)[] headers)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(json);
        http.Request.Body = new MemoryStream(bytes);
        http.Request.ContentLength = bytes.Length;
        foreach (var (name, value) in headers)
        {
            http.Request.Headers[name] = value;
        }

        http.Items[RoutingHeaders.RequestId] = "req-1";
        http.Response.Body = new MemoryStream();
        return http;
    }

    private static string Body(HttpContext http) => Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray());

    /// <summary>A pipeline that records the context it was given and answers as told.</summary>
    private sealed class StubPipeline(Func<IEnumerable<ChatMessage>, SwitchboardContext, ChatResponse> answer) : IChatClient
    {
        public List<SwitchboardContext> Contexts { get; } = [];
        public List<string?> Models { get; } = [];
        public List<ChatResponseUpdate> Updates { get; init; } = [];
        public Exception? FailAfterUpdates { get; init; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var context = Observe(options);
            return Task.FromResult(answer(messages, context));
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var context = Observe(options);
            answer(messages, context);
            foreach (var update in Updates)
            {
                await Task.Yield();
                yield return update;
            }

            if (FailAfterUpdates is { } error)
            {
                throw error;
            }
        }

        private SwitchboardContext Observe(ChatOptions? options)
        {
            var context = SwitchboardContext.Of(options) ?? throw new InvalidOperationException("the edge must attach a context");
            Contexts.Add(context);
            Models.Add(options!.ModelId);
            return context;
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private sealed class NoKeys : IKeyStore
    {
        public Task<CreatedKey> CreateAsync(CreateKeyRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IReadOnlyList<VirtualKey>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<VirtualKey>>([]);
        public Task<bool> RevokeAsync(string idOrKey, CancellationToken cancellationToken) => Task.FromResult(false);
        public ValueTask<VirtualKey?> FindAsync(string presentedKey, CancellationToken cancellationToken) => ValueTask.FromResult<VirtualKey?>(null);
    }
}
