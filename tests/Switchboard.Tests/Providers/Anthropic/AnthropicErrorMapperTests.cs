using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Chat;
using Switchboard.Providers.Anthropic;
using static Switchboard.Tests.Providers.Anthropic.AnthropicTestClients;

namespace Switchboard.Tests.Providers.Anthropic;

public sealed class AnthropicErrorMapperTests
{
    private static string Body(string type, string message) =>
        $$"""{"type":"error","error":{"type":"{{type}}","message":"{{message}}"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}""";

    private static ProviderException Map(int status, string body, params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return AnthropicErrorMapper.Map(status, response.Headers, body, "anthropic", ApiKey, new FakeTimeProvider());
    }

    [Theory]
    [InlineData(400, "invalid_request_error", "messages: roles must alternate between \\\"user\\\" and \\\"assistant\\\"", ProviderErrorKind.InvalidRequest)]
    [InlineData(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum", ProviderErrorKind.ContextLengthExceeded)]
    [InlineData(401, "authentication_error", "invalid x-api-key", ProviderErrorKind.Authentication)]
    [InlineData(403, "permission_error", "Your API key does not have permission to use the specified resource.", ProviderErrorKind.Permission)]
    [InlineData(404, "not_found_error", "model: claude-nope", ProviderErrorKind.NotFound)]
    [InlineData(413, "request_too_large", "Request exceeds the maximum allowed number of bytes.", ProviderErrorKind.InvalidRequest)]
    [InlineData(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", ProviderErrorKind.RateLimited)]
    [InlineData(500, "api_error", "Internal server error", ProviderErrorKind.ServerError)]
    [InlineData(529, "overloaded_error", "Overloaded", ProviderErrorKind.Overloaded)]
    public void Map_ErrorType_GivesKindStatusAndProviderCode(int status, string type, string message, ProviderErrorKind expected)
    {
        var ex = Map(status, Body(type, message));

        Assert.Equal(expected, ex.Kind);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(type, ex.ProviderCode);
        Assert.Equal("anthropic", ex.Provider);
        Assert.StartsWith(message[..10], ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_RateLimitWithRetryAfter_CarriesRetryAfter()
    {
        var ex = Map(429, Body("rate_limit_error", "slow down"), ("retry-after", "2"));

        Assert.Equal(ProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(2), ex.RetryAfter);
        Assert.True(ex.IsRetryable);
    }

    [Fact]
    public void Map_MessageEchoingTheKey_NeverContainsIt()
    {
        var ex = Map(401, Body("authentication_error", $"invalid x-api-key {ApiKey}"));

        Assert.Equal(ProviderErrorKind.Authentication, ex.Kind);
        Assert.DoesNotContain(ApiKey, ex.Message, StringComparison.Ordinal);
        Assert.Contains("invalid x-api-key", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(502, "<html><body>502 Bad Gateway</body></html>", ProviderErrorKind.ServerError)]
    [InlineData(529, "", ProviderErrorKind.Overloaded)]
    [InlineData(401, "Unauthorized", ProviderErrorKind.Authentication)]
    public void Map_NonJsonBody_ClassifiesByStatus(int status, string body, ProviderErrorKind expected)
    {
        var ex = Map(status, body);

        Assert.Equal(expected, ex.Kind);
        Assert.Null(ex.ProviderCode);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void Map_UnknownErrorType_FallsBackToStatus()
    {
        var ex = Map(503, Body("something_new", "later"));

        Assert.Equal(ProviderErrorKind.Overloaded, ex.Kind);
        Assert.Equal("something_new", ex.ProviderCode);
    }

    [Fact]
    public void MapStreamError_OverloadedEvent_IsOverloadedWithoutStatus()
    {
        var ex = AnthropicErrorMapper.Map("""{"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}"""u8, "anthropic", ApiKey);

        Assert.Equal(ProviderErrorKind.Overloaded, ex.Kind);
        Assert.Null(ex.StatusCode);
        Assert.Null(ex.RetryAfter);
        Assert.Equal("overloaded_error", ex.ProviderCode);
    }
}
