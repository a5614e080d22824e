using Microsoft.Extensions.AI;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.OpenAI;
using Switchboard.Pricing;

namespace Switchboard.Tests.Gateway;

public sealed class OpenAIEdgeStreamWriterTests
{
    private const string Head = "\"id\":\"chatcmpl-9\",\"object\":\"chat.completion.chunk\",\"created\":1770950778,\"model\":\"gpt-4o-mini\",";

    private static string Chunk(string delta, string finish = "null", bool usageNull = true) =>
        "{" + Head + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finish + "}]" +
        (usageNull ? ",\"usage\":null" : "") + "}";

    private static void AssertFrames(List<SseFrame> actual, params string[] expected)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Null(actual[i].Event);
            if (expected[i] == "[DONE]")
            {
                Assert.Equal("[DONE]", actual[i].DataText);
            }
            else
            {
                OpenAIEdgeResponseWriterTests.AssertJson(expected[i], actual[i].Data);
            }
        }
    }

    private static List<SseFrame> Run(OpenAIEdgeStreamWriter writer, IEnumerable<ChatResponseUpdate> updates, UsageDetails? final)
    {
        var frames = new List<SseFrame>();
        foreach (var update in updates)
        {
            frames.AddRange(writer.OnUpdate(update));
        }

        frames.AddRange(writer.Complete(final));
        return frames;
    }

    [Fact]
    public void Stream_TextToolCallAndUsage_WritesExactChunks()
    {
        var writer = new OpenAIEdgeStreamWriter("gpt-4o-mini", "chatcmpl-9", 1770950778, includeUsage: true);
        ChatResponseUpdate[] updates =
        [
            new(ChatRole.Assistant, "Hel"),
            new(null, "lo"),
            new(null, [new FunctionCallContent("call_1", "get_weather", OpenAIEdgeResponseWriterTests.Args("""{"city":"Paris"}"""))]),
            new(null, [new FunctionCallContent("call_2", "now")]) { FinishReason = ChatFinishReason.Stop },
            new(null, [new UsageContent(new UsageDetails { InputTokenCount = 44, OutputTokenCount = 16, TotalTokenCount = 60, CachedInputTokenCount = 4 })]),
        ];

        var frames = Run(writer, updates, final: null);

        AssertFrames(frames,
            Chunk("""{"role":"assistant","content":""}"""),
            Chunk("""{"content":"Hel"}"""),
            Chunk("""{"content":"lo"}"""),
            Chunk("""{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]}"""),
            Chunk("""{"tool_calls":[{"index":1,"id":"call_2","type":"function","function":{"name":"now","arguments":"{}"}}]}"""),
            Chunk("{}", "\"tool_calls\""),
            "{" + Head + """
                "choices":[],"usage":{"prompt_tokens":44,"completion_tokens":16,"total_tokens":60,
                "prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":0}}}
                """,
            "[DONE]");
    }

    [Fact]
    public void Stream_WithoutIncludeUsage_HasNoUsageKeysAndNoUsageChunk()
    {
        var writer = new OpenAIEdgeStreamWriter("gpt-4o-mini", "chatcmpl-9", 1770950778, includeUsage: false);

        var frames = Run(writer, [new(ChatRole.Assistant, "Hi") { FinishReason = ChatFinishReason.Length }],
            new UsageDetails { InputTokenCount = 1, OutputTokenCount = 1 });

        AssertFrames(frames,
            Chunk("""{"role":"assistant","content":""}""", usageNull: false),
            Chunk("""{"content":"Hi"}""", usageNull: false),
            Chunk("{}", "\"length\"", usageNull: false),
            "[DONE]");
    }

    [Fact]
    public void Complete_UsageArgument_WinsOverUsageSeenInUpdates()
    {
        var writer = new OpenAIEdgeStreamWriter("m", "id", 1, includeUsage: true);
        _ = writer.OnUpdate(new ChatResponseUpdate(null, [new UsageContent(new UsageDetails { InputTokenCount = 1 })])).ToList();

        var usageChunk = writer.Complete(new UsageDetails { InputTokenCount = 7, OutputTokenCount = 3 }).ToList()[^2];

        Assert.Contains("\"prompt_tokens\":7", usageChunk.DataText, StringComparison.Ordinal);
        Assert.Contains("\"total_tokens\":10", usageChunk.DataText, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_WithoutUpdates_StillSendsRoleFinishAndDone()
    {
        var frames = new OpenAIEdgeStreamWriter("m", "id", 1, includeUsage: false).Complete(null).ToList();

        Assert.Equal(3, frames.Count);
        Assert.Contains("\"role\":\"assistant\"", frames[0].DataText, StringComparison.Ordinal);
        Assert.Contains("\"finish_reason\":\"stop\"", frames[1].DataText, StringComparison.Ordinal);
        Assert.Equal("[DONE]", frames[2].DataText);
    }

    [Fact]
    public void OnUpdate_UsageOnly_AfterStart_SendsNothing()
    {
        var writer = new OpenAIEdgeStreamWriter("m", "id", 1, includeUsage: true);
        Assert.Single(writer.OnUpdate(new ChatResponseUpdate(ChatRole.Assistant, "")));

        Assert.Empty(writer.OnUpdate(new ChatResponseUpdate(null, [new UsageContent(new UsageDetails())])));
    }

    [Fact]
    public void Error_IsADataOnlyErrorObject()
    {
        var frame = OpenAIEdgeStreamWriter.Error("upstream failed", "server_error", "upstream_error");

        Assert.Null(frame.Event);
        OpenAIEdgeResponseWriterTests.AssertJson("""{"error":{"message":"upstream failed","type":"server_error","param":null,"code":"upstream_error"}}""", frame.Data);
    }
}
