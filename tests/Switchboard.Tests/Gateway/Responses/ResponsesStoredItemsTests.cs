using System.Text;
using System.Text.Json;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.Responses.Storage;

namespace Switchboard.Tests.Gateway.Responses;

/// <summary>Golden output of the stored-items mappers: normalised input items, the chain, and input_items pages.</summary>
public sealed class ResponsesStoredItemsTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void StringInput_BecomesOneUserMessageWithAnId()
    {
        var items = ResponsesStoredItems.InputItems(null, Json("\"hi\""), "resp_1");

        OpenAIEdgeResponseWriterTests.AssertJson(
            """[{"type":"message","id":"msg_resp_1_in0","role":"user","content":[{"type":"input_text","text":"hi"}]}]""",
            Encoding.UTF8.GetBytes(items));
    }

    [Fact]
    public void ItemInput_TypesIdsAndPartsFilledIn_TheirOwnIdsAndFieldsKept()
    {
        var input = Json("""
            [{"role":"developer","content":"rules"},
             {"type":"message","id":"msg_client","role":"assistant","phase":"final_answer","content":[{"type":"output_text","text":"ok"}]},
             {"type":"function_call_output","call_id":"c1","output":"sunny"}]
            """);

        var items = ResponsesStoredItems.InputItems(null, input, "resp_1");

        OpenAIEdgeResponseWriterTests.AssertJson(
            """
            [{"type":"message","id":"msg_resp_1_in0","role":"developer","content":[{"type":"input_text","text":"rules"}]},
             {"type":"message","id":"msg_client","role":"assistant","phase":"final_answer","content":[{"type":"output_text","text":"ok","annotations":[]}]},
             {"type":"function_call_output","id":"fco_resp_1_in2","call_id":"c1","output":"sunny"}]
            """,
            Encoding.UTF8.GetBytes(items));
    }

    [Fact]
    public void Chain_IsThePreviousInputThenItsOutput_AndPrecedesTheNextInput()
    {
        var previous = SqliteResponseStoreTests.Sample("resp_0", "k", DateTimeOffset.UnixEpoch) with
        {
            ResponseJson = """{"id":"resp_0","output":[{"id":"msg_resp_0_0","type":"message","role":"assistant","content":[{"type":"output_text","text":"Hello Ada","annotations":[]}]}]}""",
            InputItemsJson = """[{"type":"message","id":"msg_resp_0_in0","role":"user","content":[{"type":"input_text","text":"I am Ada"}]}]""",
        };

        var chain = ResponsesStoredItems.Chain(previous);
        var items = ResponsesStoredItems.InputItems(chain, Json("\"my name?\""), "resp_1");

        var ids = JsonDocument.Parse(items).RootElement.EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
        Assert.Equal(["msg_resp_0_in0", "msg_resp_0_0", "msg_resp_1_in0"], ids);
    }

    private const string Five = """[{"id":"a"},{"id":"b"},{"id":"c"},{"id":"d"},{"id":"e"}]""";

    [Fact]
    public void Page_DescByDefaultOrder_LimitAndAfter()
    {
        OpenAIEdgeResponseWriterTests.AssertJson(
            """{"object":"list","data":[{"id":"e"},{"id":"d"}],"first_id":"e","last_id":"d","has_more":true}""",
            ResponsesInputItemsPage.Write(Five, "desc", 2, null));
        OpenAIEdgeResponseWriterTests.AssertJson(
            """{"object":"list","data":[{"id":"c"},{"id":"d"},{"id":"e"}],"first_id":"c","last_id":"e","has_more":false}""",
            ResponsesInputItemsPage.Write(Five, "asc", 20, "b"));
        OpenAIEdgeResponseWriterTests.AssertJson(
            """{"object":"list","data":[],"first_id":null,"last_id":null,"has_more":false}""",
            ResponsesInputItemsPage.Write(Five, "asc", 20, "e"));
    }

    [Fact]
    public void Page_UnknownAfter_400NamingIt()
    {
        var error = Assert.Throws<EdgeRequestException>(() => ResponsesInputItemsPage.Write(Five, "asc", 20, "zzz"));

        Assert.Equal("after", error.Param);
    }
}
