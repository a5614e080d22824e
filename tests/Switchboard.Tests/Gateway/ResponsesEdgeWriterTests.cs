using Microsoft.Extensions.AI;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.Responses;

namespace Switchboard.Tests.Gateway;

/// <summary>Golden wire output of the Responses response writer and stream writer.</summary>
public sealed class ResponsesEdgeWriterTests
{
    private const string Tail =
        "\"parallel_tool_calls\":true,\"previous_response_id\":null,\"reasoning\":{\"effort\":null,\"summary\":null},\"store\":true," +
        "\"temperature\":1,\"text\":{\"format\":{\"type\":\"text\"}},\"tool_choice\":\"auto\",\"tools\":[],\"top_p\":1,\"truncation\":\"disabled\",";

    private const string Usage =
        "\"usage\":{\"input_tokens\":10,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":3,\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":13}";

    private static ResponsesEdgeContext CustomToolContext()
    {
        var context = new ResponsesEdgeContext();
        context.Tools.Add(ResponsesToolKind.Custom, "apply_patch", null);
        context.Tools.Add(ResponsesToolKind.Function, "read", "mcp");
        return context;
    }

    [Fact]
    public void Response_TextMessage_Golden()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "Hello"))
        {
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 3, TotalTokenCount = 13 },
        };

        var json = ResponsesEdgeResponseWriter.WriteResponse(response, new ResponsesEdgeContext(), "gpt-4.1", "resp_1", 1770000000);

        OpenAIEdgeResponseWriterTests.AssertJson(
            "{\"id\":\"resp_1\",\"object\":\"response\",\"created_at\":1770000000,\"status\":\"completed\",\"background\":false,\"error\":null," +
            "\"incomplete_details\":null,\"instructions\":null,\"max_output_tokens\":null,\"model\":\"gpt-4.1\",\"output\":[" +
            "{\"id\":\"msg_resp_1_0\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[" +
            "{\"type\":\"output_text\",\"text\":\"Hello\",\"annotations\":[],\"logprobs\":[]}]}]," + Tail + Usage +
            ",\"user\":null,\"prompt_cache_key\":null,\"metadata\":{}}", json);
    }

    [Fact]
    public void Response_ToolCalls_MappedBackToClientShapes()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant,
        [
            new FunctionCallContent("c1", "apply_patch", new Dictionary<string, object?> { ["input"] = "*** Begin Patch" }),
            new FunctionCallContent("c2", "mcp__read", new Dictionary<string, object?> { ["path"] = "a" }),
        ]));

        var items = ResponsesEdgeResponseWriter.ToItems(response, CustomToolContext().Tools, "resp_1");

        Assert.Collection(items,
            i => Assert.Equal((ResponsesOutputItem.ItemKind.CustomToolCall, "apply_patch", "*** Begin Patch"), (i.Kind, i.Name!, i.Payload)),
            i => Assert.Equal((ResponsesOutputItem.ItemKind.FunctionCall, "read", "mcp", "{\"path\":\"a\"}"), (i.Kind, i.Name!, i.Namespace!, i.Payload)));
    }

    [Fact]
    public void Stream_TextThenCall_EventOrderAndSequence()
    {
        var writer = new ResponsesEdgeStreamWriter(CustomToolContext(), "gpt-4.1", "resp_1", 1770000000);
        var frames = new List<SseFrame>(writer.Start());
        frames.AddRange(writer.OnUpdate(new ChatResponseUpdate(ChatRole.Assistant, "Hel")));
        frames.AddRange(writer.OnUpdate(new ChatResponseUpdate(ChatRole.Assistant, "lo")));
        frames.AddRange(writer.OnUpdate(new ChatResponseUpdate(ChatRole.Assistant,
            [new FunctionCallContent("c1", "apply_patch", new Dictionary<string, object?> { ["input"] = "P" })])));
        frames.AddRange(writer.Complete(new UsageDetails { InputTokenCount = 10, OutputTokenCount = 3, TotalTokenCount = 13 }));

        Assert.Equal(
        [
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
            "response.output_item.done", "response.output_item.added", "response.custom_tool_call_input.delta",
            "response.custom_tool_call_input.done", "response.output_item.done", "response.completed",
        ], frames.Select(f => f.Event));
        OpenAIEdgeResponseWriterTests.AssertJson(
            "{\"type\":\"response.output_text.delta\",\"sequence_number\":4,\"item_id\":\"msg_resp_1_0\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hel\",\"logprobs\":[]}",
            frames[4].Data);
        OpenAIEdgeResponseWriterTests.AssertJson(
            "{\"type\":\"response.custom_tool_call_input.done\",\"sequence_number\":11,\"item_id\":\"ctc_resp_1_1\",\"output_index\":1,\"name\":\"apply_patch\",\"input\":\"P\"}",
            frames[11].Data);
        var completed = System.Text.Json.JsonDocument.Parse(frames[^1].Data).RootElement.GetProperty("response");
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.Equal("Hello", completed.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("P", completed.GetProperty("output")[1].GetProperty("input").GetString());
        Assert.Equal(13, completed.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        // What is stored is exactly the response the completed event carries.
        Assert.Equal(completed.GetRawText(), System.Text.Encoding.UTF8.GetString(writer.FinalResponse!));
    }

    [Fact]
    public void Stream_Failure_NoFinalResponse_NothingToStore()
    {
        var writer = new ResponsesEdgeStreamWriter(new ResponsesEdgeContext(), "gpt-4.1", "resp_1", 1770000000);
        _ = writer.OnUpdate(new ChatResponseUpdate(ChatRole.Assistant, "Hel")).ToList();

        _ = writer.Fail("upstream_error", "cut", null).ToList();

        Assert.Null(writer.FinalResponse);
    }

    [Fact]
    public void Response_EchoesPreviousResponseIdAndStore()
    {
        var context = new ResponsesEdgeContext { PreviousResponseId = "resp_0", Store = false };

        var json = ResponsesEdgeResponseWriter.WriteResponse(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")), context, "m", "resp_1", 1);

        var root = System.Text.Json.JsonDocument.Parse(json).RootElement;
        Assert.Equal("resp_0", root.GetProperty("previous_response_id").GetString());
        Assert.False(root.GetProperty("store").GetBoolean());
    }

    [Fact]
    public void Stream_Failure_ErrorThenResponseFailed_NeverCompleted()
    {
        var writer = new ResponsesEdgeStreamWriter(new ResponsesEdgeContext(), "gpt-4.1", "resp_1", 1770000000);
        var frames = new List<SseFrame>(writer.OnUpdate(new ChatResponseUpdate(ChatRole.Assistant, "Hel")));

        frames.AddRange(writer.Fail("upstream_error", "The provider closed the stream.", null));

        Assert.Equal(["error", "response.failed"], frames.TakeLast(2).Select(f => f.Event));
        OpenAIEdgeResponseWriterTests.AssertJson(
            "{\"type\":\"error\",\"sequence_number\":5,\"code\":\"upstream_error\",\"message\":\"The provider closed the stream.\",\"param\":null}",
            frames[^2].Data);
        var failed = System.Text.Json.JsonDocument.Parse(frames[^1].Data).RootElement.GetProperty("response");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("upstream_error", failed.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("incomplete", Assert.Single(failed.GetProperty("output").EnumerateArray()).GetProperty("status").GetString()); // it broke off
        Assert.DoesNotContain(writer.Fail("again", "x", null), f => f.Event is "response.completed" or "response.failed");
    }

    [Fact]
    public void Response_CutAtMaxOutputTokens_TheItemBeingWrittenIsIncomplete_TheOnesBeforeItCompleted()
    {
        var message = new ChatMessage(ChatRole.Assistant,
            [new FunctionCallContent("call_1", "lookup", new Dictionary<string, object?> { ["q"] = "x" }), new TextContent("The answer is")]);
        var response = new ChatResponse(message) { FinishReason = ChatFinishReason.Length };

        var json = ResponsesEdgeResponseWriter.WriteResponse(response, new ResponsesEdgeContext(), "m", "resp_1", 1);

        var root = System.Text.Json.JsonDocument.Parse(json).RootElement;
        Assert.Equal("incomplete", root.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", root.GetProperty("incomplete_details").GetProperty("reason").GetString());
        Assert.Equal([("function_call", "completed"), ("message", "incomplete")],
            root.GetProperty("output").EnumerateArray().Select(i => (i.GetProperty("type").GetString(), i.GetProperty("status").GetString())));
    }

    [Fact]
    public void Stream_CutAtMaxOutputTokens_TheMessageIsDoneAsIncomplete_InItsEventAndInTheFinalResponse()
    {
        var writer = new ResponsesEdgeStreamWriter(new ResponsesEdgeContext(), "gpt-4.1", "resp_1", 1770000000);
        var frames = new List<SseFrame>(writer.OnUpdate(new ChatResponseUpdate(ChatRole.Assistant, "The answer is")));
        frames.AddRange(writer.OnUpdate(new ChatResponseUpdate { FinishReason = ChatFinishReason.Length }));

        frames.AddRange(writer.Complete(null));

        var done = System.Text.Json.JsonDocument.Parse(Assert.Single(frames, f => f.Event == "response.output_item.done").Data).RootElement;
        Assert.Equal("incomplete", done.GetProperty("item").GetProperty("status").GetString());
        Assert.Equal("response.incomplete", frames[^1].Event);
        var final = System.Text.Json.JsonDocument.Parse(writer.FinalResponse).RootElement;
        Assert.Equal("incomplete", final.GetProperty("output")[0].GetProperty("status").GetString());
    }
}
