using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Caching;
using Switchboard.Chat;

namespace Switchboard.Tests.Caching;

public sealed class ResponseCacheKeyTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"number"}},"required":["a"]}""").RootElement;
    private static readonly JsonElement SchemaReordered = JsonDocument.Parse("""{"required":["a"],"properties":{"b":{"type":"number"},"a":{"type":"string"}},"type":"object"}""").RootElement;

    private static List<ChatMessage> Messages() => [new(ChatRole.System, "be brief"), new(ChatRole.User, "hello")];

    private static ChatOptions Options() => new ChatOptions { ModelId = "smart", Temperature = 0 }
        .WithSwitchboard(new SwitchboardContext { RequestId = "r1", Caller = new CallerIdentity("key-a", "key-a") });

    private static string Key(List<ChatMessage> messages, ChatOptions options, string? tenant = "key-a", string? ns = null) =>
        ResponseCacheKey.Compute(messages, options, tenant, ns) ?? throw new InvalidOperationException("no key");

    public static TheoryData<string> OptionChanges() =>
    [
        "model", "temperature", "top_p", "top_k", "max_output_tokens", "stop", "seed", "frequency_penalty", "presence_penalty",
        "response_format_json", "response_format_schema", "tool_mode", "tools", "tool_schema", "instructions", "reasoning",
        "parallel_tool_calls", "pass_through_property",
    ];

    [Theory]
    [MemberData(nameof(OptionChanges))]
    public void Key_ChangesWithEachOutputAffectingOption(string option)
    {
        var changed = Options();
        var tool = AIFunctionFactory.CreateDeclaration("lookup", "Looks up", Schema);
        switch (option)
        {
            case "model": changed.ModelId = "fast"; break;
            case "temperature": changed.Temperature = 0.5f; break;
            case "top_p": changed.TopP = 0.9f; break;
            case "top_k": changed.TopK = 40; break;
            case "max_output_tokens": changed.MaxOutputTokens = 100; break;
            case "stop": changed.StopSequences = ["END"]; break;
            case "seed": changed.Seed = 7; break;
            case "frequency_penalty": changed.FrequencyPenalty = 0.5f; break;
            case "presence_penalty": changed.PresencePenalty = 0.5f; break;
            case "response_format_json": changed.ResponseFormat = ChatResponseFormat.Json; break;
            case "response_format_schema": changed.ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "answer"); break;
            case "tool_mode": changed.ToolMode = ChatToolMode.RequireAny; break;
            case "tools": changed.Tools = [tool]; break;
            case "tool_schema":
                var baseline = Options();
                baseline.Tools = [tool];
                changed.Tools = [AIFunctionFactory.CreateDeclaration("lookup", "Looks up", JsonDocument.Parse("""{"type":"object"}""").RootElement)];
                Assert.NotEqual(Key(Messages(), baseline), Key(Messages(), changed));
                return;
            case "instructions": changed.Instructions = "answer in French"; break;
            case "reasoning": changed.Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High }; break;
            case "parallel_tool_calls": changed.AllowMultipleToolCalls = false; break;
            case "pass_through_property": changed.AdditionalProperties!["logprobs"] = JsonDocument.Parse("true").RootElement; break;
            default: throw new ArgumentOutOfRangeException(nameof(option));
        }

        Assert.NotEqual(Key(Messages(), Options()), Key(Messages(), changed));
    }

    public static TheoryData<string> MessageChanges() => ["text", "role", "author", "extra_message", "image_bytes", "image_media_type", "function_call_args", "function_result", "uri"];

    [Theory]
    [MemberData(nameof(MessageChanges))]
    public void Key_ChangesWithTheMessages(string change)
    {
        List<ChatMessage> Build(bool variant)
        {
            var messages = Messages();
            switch (change)
            {
                case "text": messages[1] = new ChatMessage(ChatRole.User, variant ? "hello!" : "hello"); break;
                case "role": messages[0] = new ChatMessage(variant ? ChatRole.User : ChatRole.System, "be brief"); break;
                case "author": messages[1].AuthorName = variant ? "bob" : null; break;
                case "extra_message": if (variant) { messages.Add(new ChatMessage(ChatRole.User, "again")); } break;
                case "image_bytes": messages[1].Contents.Add(new DataContent(variant ? new byte[] { 1, 2, 4 } : new byte[] { 1, 2, 3 }, "image/png")); break;
                case "image_media_type": messages[1].Contents.Add(new DataContent(new byte[] { 1, 2, 3 }, variant ? "image/jpeg" : "image/png")); break;
                case "function_call_args":
                    messages.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "lookup", new Dictionary<string, object?> { ["q"] = variant ? "x" : "y" })]));
                    break;
                case "function_result":
                    messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", variant ? "sunny" : "rainy")]));
                    break;
                case "uri": messages[1].Contents.Add(new UriContent(variant ? "https://example.com/b.png" : "https://example.com/a.png", "image/png")); break;
                default: throw new ArgumentOutOfRangeException(nameof(change));
            }

            return messages;
        }

        Assert.NotEqual(Key(Build(false), Options()), Key(Build(true), Options()));
    }

    [Fact]
    public void Key_ChangesWithTheTenant_AndSharedNamespaceJoinsTenants()
    {
        Assert.NotEqual(Key(Messages(), Options(), "key-a"), Key(Messages(), Options(), "key-b"));
        Assert.NotEqual(Key(Messages(), Options(), null), Key(Messages(), Options(), ""));
        Assert.Equal(Key(Messages(), Options(), "key-a", "shared"), Key(Messages(), Options(), "key-b", "shared"));
        Assert.NotEqual(Key(Messages(), Options(), "shared"), Key(Messages(), Options(), "other", "shared")); // tenant "shared" ≠ namespace "shared"
    }

    [Fact]
    public void Key_IgnoresTheRequestContext_HintsIdsAndCacheDirectives()
    {
        var other = new ChatOptions { ModelId = "smart", Temperature = 0 }.WithSwitchboard(new SwitchboardContext
        {
            RequestId = "r2",
            Caller = new CallerIdentity("key-a", "key-a"),
            Route = new RouteOptions { Task = "general", PreferCost = true },
            CacheRequest = new CacheRequestOptions { Directive = CacheDirective.OptIn, Ttl = TimeSpan.FromMinutes(1) },
        });

        Assert.Equal(Key(Messages(), Options()), Key(Messages(), other));
    }

    [Fact]
    public void Key_IncludesTheClientsPassThroughFields_AnthropicOnesToo()
    {
        // A field only an Anthropic upstream receives still changes the answer (thinking, betas): two requests that differ
        // in it must not share a cached answer.
        var thinking = Options();
        thinking.AdditionalProperties![PassThroughKeys.AnthropicFieldPrefix + "thinking"] =
            System.Text.Json.JsonDocument.Parse("""{"type":"enabled","budget_tokens":2048}""").RootElement.Clone();
        var beta = Options();
        beta.AdditionalProperties![PassThroughKeys.AnthropicBetaHeader] = "interleaved-thinking-2025-05-14";

        Assert.NotEqual(Key(Messages(), Options()), Key(Messages(), thinking));
        Assert.NotEqual(Key(Messages(), Options()), Key(Messages(), beta));
    }

    [Fact]
    public void Key_IgnoresPropertyOrderOfSchemasAndArguments()
    {
        var a = Options();
        a.ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "answer");
        a.Tools = [AIFunctionFactory.CreateDeclaration("lookup", "Looks up", Schema)];
        var b = Options();
        b.ResponseFormat = ChatResponseFormat.ForJsonSchema(SchemaReordered, "answer");
        b.Tools = [AIFunctionFactory.CreateDeclaration("lookup", "Looks up", SchemaReordered)];
        var callA = Messages();
        callA.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "f", new Dictionary<string, object?> { ["x"] = 1, ["y"] = "z" })]));
        var callB = Messages();
        callB.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "f", new Dictionary<string, object?> { ["y"] = "z", ["x"] = 1 })]));

        Assert.Equal(Key(callA, a), Key(callB, b));
    }

    [Fact]
    public void Key_IsStableHex_WithVersionPrefix()
    {
        var key = Key(Messages(), Options());
        Assert.StartsWith(ResponseCacheKey.Prefix, key, StringComparison.Ordinal);
        Assert.Equal(ResponseCacheKey.Prefix.Length + 64, key.Length);
        Assert.Equal(key, Key(Messages(), Options()));
    }

    [Fact]
    public void Key_IsNull_ForRequestsItCannotRepresent()
    {
        var conversation = Options();
        conversation.ConversationId = "conv_1";
        var hosted = Options();
        hosted.Tools = [new HostedWebSearchTool()];
        var opaque = Options();
        opaque.AdditionalProperties!["custom"] = new object();

        Assert.Null(ResponseCacheKey.Compute(Messages(), conversation, "key-a"));
        Assert.Null(ResponseCacheKey.Compute(Messages(), hosted, "key-a"));
        Assert.Null(ResponseCacheKey.Compute(Messages(), opaque, "key-a"));
    }
}
