using System.Text;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.Anthropic;
using Switchboard.Gateway.Edges.OpenAI;
using Switchboard.Gateway.Http;

namespace Switchboard.Tests.Gateway;

/// <summary>Text and numbers no mapper can read are refused while parsing, as a client error, on every edge.</summary>
public sealed class EdgeHostileInputTests
{
    private static EdgeRequestException OpenAI(string json) =>
        Assert.Throws<EdgeRequestException>(() => OpenAIEdgeRequestMapper.Parse(Encoding.UTF8.GetBytes(json)));

    private static EdgeRequestException Anthropic(string json) =>
        Assert.Throws<EdgeRequestException>(() => AnthropicEdgeRequestMapper.Parse(Encoding.UTF8.GetBytes(json)));

    private static EdgeRequestException ChatStream(string json) =>
        Assert.Throws<EdgeRequestException>(() => ChatStreamProtocol.Instance.Parse(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"\ud800"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a\udfffb"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"\ud800":1}""")]
    [InlineData("""{"model":"\ud800","messages":[{"role":"user","content":"hi"}]}""")]
    public void OpenAI_LoneSurrogate_IsAClientError(string json) =>
        Assert.Contains("not valid Unicode", OpenAI(json).Message);

    [Fact]
    public void OpenAI_LoneSurrogateInsideToolArguments_IsAClientErrorNamingArguments()
    {
        var error = OpenAI("""
            {"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function",
             "function":{"name":"f","arguments":"{\"a\":\"\\ud800\"}"}}]},{"role":"tool","tool_call_id":"c","content":"x"}]}
            """);
        Assert.Equal("messages[0].tool_calls[0].function.arguments", error.Param);
    }

    [Fact]
    public void OpenAI_InvalidUtf8InAString_IsAClientError() =>
        Assert.Throws<EdgeRequestException>(() => OpenAIEdgeRequestMapper.Parse(
            (byte[])[.. "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\""u8, 0xC3, 0x28, .. "\"}]}"u8]));

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":1e400}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}],"logit_bias":{"1":-1e999}}""")]
    public void OpenAI_NumberBeyondDouble_IsAClientError(string json) =>
        Assert.Contains("too large to represent", OpenAI(json).Message);

    [Fact]
    public void OpenAI_DuplicateKey_IsAClientError() =>
        Assert.Contains("same key twice", OpenAI("""{"model":"m","model":"n","messages":[{"role":"user","content":"hi"}]}""").Message);

    [Fact]
    public void OpenAI_NestingDeeperThanTheLimit_IsAClientError() =>
        OpenAI("""{"model":"m","messages":[{"role":"user","content":"hi"}],"metadata":""" +
            string.Concat(Enumerable.Repeat("[", EdgeJson.MaxDepth)) + string.Concat(Enumerable.Repeat("]", EdgeJson.MaxDepth)) + "}");

    [Fact]
    public void Anthropic_LoneSurrogate_IsAClientError() =>
        Assert.Contains("not valid Unicode", Anthropic("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"\ud800"}]}""").Message);

    [Fact]
    public void Anthropic_DuplicateKey_IsAClientError() =>
        Anthropic("""{"model":"m","max_tokens":5,"max_tokens":9,"messages":[{"role":"user","content":"hi"}]}""");

    [Fact]
    public void ChatStream_LoneSurrogate_IsAClientError() =>
        Assert.Contains("not valid Unicode", ChatStream("""{"message":"\ud800"}""").Message);

    [Theory]
    [InlineData("""{"message":"hi","temperature":3.4028236e38}""", "temperature")]
    [InlineData("""{"message":"hi","temperature":-1}""", "temperature")]
    [InlineData("""{"message":"hi","max_tokens":-5}""", "max_tokens")]
    public void ChatStream_OutOfRangeNumber_IsAClientErrorNamingTheField(string json, string field) =>
        Assert.Equal(field, ChatStream(json).Param);
}
