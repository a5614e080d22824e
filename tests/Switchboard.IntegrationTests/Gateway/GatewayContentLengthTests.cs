using System.Net;
using System.Text;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>
/// Whole JSON answers carry their Content-Length: the client has the complete response once its bytes are sent, in one
/// write, instead of waiting for a chunked body's terminating chunk (sent only when the handler has returned, after its
/// log line and everything else it does once the body is written).
/// </summary>
public sealed class GatewayContentLengthTests : IAsyncLifetime
{
    private GatewayFixture _fx = null!;

    public async ValueTask InitializeAsync() => _fx = await GatewayFixture.StartAsync();

    public ValueTask DisposeAsync() => _fx.DisposeAsync();

    [Theory]
    [InlineData("v1/chat/completions", """{"model":"openai/gpt-4.1","messages":[{"role":"user","content":"hi"}]}""", 200)]
    [InlineData("v1/messages", """{"model":"anthropic/claude-sonnet-4-6","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}""", 200)]
    [InlineData("v1/responses", """{"model":"openai/gpt-4.1","input":"hi"}""", 200)]
    [InlineData("v1beta/models/gemini-2.5-flash:generateContent", """{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}""", 200)]
    [InlineData("v1/embeddings", """{"model":"text-embedding-3-small","input":"hi"}""", 200)]
    [InlineData("v1/messages/count_tokens", """{"model":"anthropic/claude-sonnet-4-6","messages":[{"role":"user","content":"hi"}]}""", 200)]
    [InlineData("v1/chat/completions", """{"model":"openai/gpt-4.1","messages":""", 400)]
    [InlineData("v1/messages", """{"model":"anthropic/claude-sonnet-4-6","messages":[]}""", 400)]
    [InlineData("v1/no-such-endpoint", "{}", 404)]
    public async Task NonStreamedAnswer_HasItsContentLength_AndIsNotChunked(string path, string body, int status)
    {
        using var response = await _fx.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }
}
