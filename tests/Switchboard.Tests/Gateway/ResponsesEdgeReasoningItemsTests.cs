using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.Responses;

namespace Switchboard.Tests.Gateway;

/// <summary>
/// Reasoning and native items on the Responses edge's output: a translated provider's thinking as a summary-only
/// <c>reasoning</c> item before the message; items an OpenAI upstream sent written back byte for byte.
/// </summary>
public sealed class ResponsesEdgeReasoningItemsTests
{
    private const string NativeReasoning = """{"id":"rs_9","type":"reasoning","summary":[{"type":"summary_text","text":"Plan."}],"encrypted_content":"gAAAA+/\u00e9=="}""";
    private const string NativeSearch = """{"id":"ws_9","type":"web_search_call","status":"completed","action":{"type":"search","query":"q"}}""";

    private static T WithItem<T>(T content, string item)
        where T : AIContent
    {
        (content.AdditionalProperties ??= [])[PassThroughKeys.OpenAIResponsesItem] = JsonDocument.Parse(item).RootElement.Clone();
        return content;
    }

    private static JsonElement Output(byte[] json) => JsonDocument.Parse(json).RootElement.GetProperty("output").Clone();

    [Fact]
    public void Response_TranslatedReasoning_SummaryItemBeforeMessage_NoEncryptedContent()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant,
            [new TextReasoningContent("Let me think.") { ProtectedData = "anthropic-signature" }, new TextContent("Answer.")]));

        var output = Output(ResponsesEdgeResponseWriter.WriteResponse(response, new ResponsesEdgeContext(), "claude", "resp_1", 1770000000));

        Assert.Equal(2, output.GetArrayLength());
        Assert.Equal("""{"id":"rs_resp_1_0","type":"reasoning","summary":[{"type":"summary_text","text":"Let me think."}]}""", output[0].GetRawText());
        Assert.Equal("message", output[1].GetProperty("type").GetString());
    }

    [Fact]
    public void Response_NativeItems_WrittenByteForByte_InOrder()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant,
        [
            WithItem(new TextReasoningContent("Plan."), NativeReasoning),
            WithItem(new AIContent(), NativeSearch),
            new TextContent("Found."),
        ]));

        var json = ResponsesEdgeResponseWriter.WriteResponse(response, new ResponsesEdgeContext(), "gpt-5", "resp_1", 1770000000);

        Assert.Contains("\"output\":[" + NativeReasoning + "," + NativeSearch + ",{\"id\":\"msg_resp_1_2\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Stream_TranslatedReasoningDeltas_OneReasoningItemThenMessage()
    {
        var writer = new ResponsesEdgeStreamWriter(new ResponsesEdgeContext(), "claude", "resp_1", 1770000000);
        var frames = new List<SseFrame>(writer.Start());
        frames.AddRange(writer.OnUpdate(new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent("Let me ")])));
        frames.AddRange(writer.OnUpdate(new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent("think.")])));
        frames.AddRange(writer.OnUpdate(new ChatResponseUpdate(ChatRole.Assistant, "Answer.")));
        frames.AddRange(writer.Complete(null));

        Assert.Equal(
        [
            "response.created", "response.in_progress",
            "response.output_item.added", "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done", "response.reasoning_summary_part.done",
            "response.output_item.done",
            "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.done",
            "response.content_part.done", "response.output_item.done", "response.completed",
        ], frames.Select(f => f.Event));
        var done = JsonDocument.Parse(frames[8].Data).RootElement;
        Assert.Equal(0, done.GetProperty("output_index").GetInt32());
        Assert.Equal("""{"id":"rs_resp_1_0","type":"reasoning","summary":[{"type":"summary_text","text":"Let me think."}]}""",
            done.GetProperty("item").GetRawText());
        var completed = JsonDocument.Parse(frames[^1].Data).RootElement.GetProperty("response").GetProperty("output");
        Assert.Equal(["reasoning", "message"], completed.EnumerateArray().Select(i => i.GetProperty("type").GetString()));
    }

    [Fact]
    public void Stream_NativeReasoningItem_SummaryEvents_ItemAsSentAtDoneAndCompleted()
    {
        var writer = new ResponsesEdgeStreamWriter(new ResponsesEdgeContext(), "gpt-5", "resp_1", 1770000000);
        var frames = new List<SseFrame>(writer.Start());
        frames.AddRange(writer.OnUpdate(new ChatResponseUpdate(ChatRole.Assistant, [WithItem(new TextReasoningContent("Plan."), NativeReasoning)])));
        frames.AddRange(writer.OnUpdate(new ChatResponseUpdate(ChatRole.Assistant, "Hi")));
        frames.AddRange(writer.Complete(null));

        Assert.Equal("response.output_item.added", frames[2].Event);
        Assert.Equal("response.reasoning_summary_text.delta", frames[4].Event);
        var done = frames.First(f => f.Event == "response.output_item.done");
        Assert.Contains("\"item\":" + NativeReasoning, done.DataText, StringComparison.Ordinal);
        Assert.Contains(NativeReasoning, frames[^1].DataText, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, frames.Count),
            frames.Select(f => JsonDocument.Parse(f.Data).RootElement.GetProperty("sequence_number").GetInt32()));
    }
}
