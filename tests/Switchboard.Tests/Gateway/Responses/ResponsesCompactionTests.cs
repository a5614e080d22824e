using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Gateway.Edges.Responses;

namespace Switchboard.Tests.Gateway.Responses;

/// <summary><see cref="ResponsesCompaction"/>: the compaction item's content round trip, the summary turn, the compacted response.</summary>
public sealed class ResponsesCompactionTests
{
    [Theory]
    [InlineData("The user wants a blue landing page; index.html exists.")]
    [InlineData("")]
    [InlineData("Ünïcode, \"quotes\", newlines\nand emoji 🐕")]
    public void Encode_ThenDecode_RoundTrips(string summary)
    {
        Assert.True(ResponsesCompaction.TryDecode(ResponsesCompaction.Encode(summary), out var decoded));
        Assert.Equal(summary, decoded);
    }

    [Theory]
    [InlineData("gAAAAABpM0Yj-opaque=")] // OpenAI's encrypted content
    [InlineData("sbcmp1.***")]
    [InlineData(null)]
    public void Decode_AnotherServersOrDamaged_False(string? content)
    {
        Assert.False(ResponsesCompaction.TryDecode(content, out _));
    }

    [Fact]
    public void InputMapper_OwnCompactionBecomesTheSummary_ForeignDropped()
    {
        var input = JsonDocument.Parse($$"""
            [{"type":"compaction","id":"cmp_1","encrypted_content":"{{ResponsesCompaction.Encode("Ada likes blue.")}}"},
             {"type":"compaction","id":"cmp_2","encrypted_content":"gAAAA-foreign"},
             {"role":"user","content":"next"}]
            """).RootElement;
        var messages = new List<ChatMessage>();

        ResponsesEdgeInputMapper.AddInput(messages, input, new ResponsesToolMap());

        Assert.Equal(2, messages.Count);
        Assert.Equal(ChatRole.User, messages[0].Role);
        Assert.EndsWith("\nAda likes blue.", messages[0].Text, StringComparison.Ordinal);
        Assert.Equal("next", messages[1].Text);
    }

    [Fact]
    public void SummaryTurn_ToolCallsAndResultsAsText_ThenTheRequest()
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "rules"),
            new(ChatRole.User, "list files"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_1", "shell", new Dictionary<string, object?> { ["command"] = "ls" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", "a.txt b.txt")]),
        ];

        ResponsesCompaction.ToSummaryTurn(messages);

        Assert.DoesNotContain(messages, m => m.Contents.Any(c => c is FunctionCallContent or FunctionResultContent));
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User, ChatRole.User], messages.Select(m => m.Role));
        Assert.Equal("[called tool shell with {\"command\":\"ls\"}]", messages[2].Text);
        Assert.Equal("[tool call_1 returned] a.txt b.txt", messages[3].Text);
        Assert.Equal(ResponsesCompaction.SummaryInstruction, messages[^1].Text);
    }

    [Fact]
    public void Write_UserMessagesThenOneCompactionItem_WithUsage()
    {
        const string items = """
            [{"type":"message","id":"m1","role":"user","content":[{"type":"input_text","text":"a"}]},
             {"type":"message","id":"m2","role":"assistant","content":[{"type":"output_text","text":"b"}]},
             {"type":"message","id":"m3","role":"developer","content":[{"type":"input_text","text":"c"}]},
             {"type":"function_call","id":"fc","call_id":"x","name":"f","arguments":"{}"},
             {"type":"message","id":"m4","role":"user","content":[{"type":"input_text","text":"d"}]}]
            """;

        var body = JsonDocument.Parse(ResponsesCompaction.Write("resp_abc", 42, items, "sum", new UsageDetails { InputTokenCount = 7, OutputTokenCount = 3 })).RootElement;

        Assert.Equal(("resp_abc", "response.compaction", 42L), (body.GetProperty("id").GetString(), body.GetProperty("object").GetString(), body.GetProperty("created_at").GetInt64()));
        var output = body.GetProperty("output").EnumerateArray().ToList();
        Assert.Equal(["m1", "m4", "cmp_abc"], output.Select(i => i.GetProperty("id").GetString()));
        Assert.True(ResponsesCompaction.TryDecode(output[2].GetProperty("encrypted_content").GetString(), out var summary));
        Assert.Equal("sum", summary);
        Assert.Equal(10, body.GetProperty("usage").GetProperty("total_tokens").GetInt64());
    }
}
