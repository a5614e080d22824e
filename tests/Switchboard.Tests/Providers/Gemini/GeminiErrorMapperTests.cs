using System.Net.Http.Headers;
using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Providers.Gemini;

namespace Switchboard.Tests.Providers.Gemini;

public sealed class GeminiErrorMapperTests
{
    [Theory]
    [InlineData(400, "error-api-key-invalid.json", ProviderErrorKind.Authentication, "INVALID_ARGUMENT")]
    [InlineData(429, "error-rate-limited.json", ProviderErrorKind.RateLimited, "RESOURCE_EXHAUSTED")]
    [InlineData(503, "error-unavailable.json", ProviderErrorKind.Overloaded, "UNAVAILABLE")]
    [InlineData(500, "error-internal.json", ProviderErrorKind.ServerError, "INTERNAL")]
    [InlineData(404, "error-not-found.json", ProviderErrorKind.NotFound, "NOT_FOUND")]
    [InlineData(400, "error-context-length.json", ProviderErrorKind.ContextLengthExceeded, "INVALID_ARGUMENT")]
    public void Map_FixtureBodies_MapToKindAndStatusCode(int status, string fixture, ProviderErrorKind kind, string code)
    {
        var ex = Map(status, GeminiTestClients.Read(fixture));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(code, ex.ProviderCode);
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal("gemini", ex.Provider);
        Assert.DoesNotContain(GeminiTestClients.ApiKey, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, "FAILED_PRECONDITION", ProviderErrorKind.InvalidRequest)]
    [InlineData(400, "INVALID_ARGUMENT", ProviderErrorKind.InvalidRequest)]
    [InlineData(403, "PERMISSION_DENIED", ProviderErrorKind.Permission)]
    [InlineData(504, "DEADLINE_EXCEEDED", ProviderErrorKind.Timeout)]
    [InlineData(401, "UNAUTHENTICATED", ProviderErrorKind.Authentication)]
    [InlineData(502, "SOMETHING_NEW", ProviderErrorKind.ServerError)]
    public void Map_StatusStrings_MapToKinds(int status, string statusText, ProviderErrorKind kind)
    {
        var body = $$$"""{"error":{"code":{{{status}}},"message":"m","status":"{{{statusText}}}"}}""";

        Assert.Equal(kind, Map(status, body).Kind);
    }

    [Fact]
    public void Map_RetryInfo_GivesRetryAfterOverHeader()
    {
        var ex = Map(429, GeminiTestClients.Read("error-rate-limited.json"), ("retry-after", "3"));

        Assert.Equal(TimeSpan.FromSeconds(17), ex.RetryAfter);
        Assert.True(ex.IsRetryable);
    }

    [Fact]
    public void Map_NoRetryInfo_FallsBackToRetryAfterHeader()
    {
        var ex = Map(429, """{"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED"}}""", ("retry-after", "3"));

        Assert.Equal(TimeSpan.FromSeconds(3), ex.RetryAfter);
    }

    [Fact]
    public void Map_NonJsonBody_UsesStatusAndKeepsText()
    {
        var ex = Map(502, "<html><body>502 Bad Gateway</body></html>");

        Assert.Equal(ProviderErrorKind.ServerError, ex.Kind);
        Assert.Contains("Bad Gateway", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.ProviderCode);
    }

    [Fact]
    public void Map_EmptyBody_SaysWhichStatus()
    {
        var ex = Map(503, "");

        Assert.Equal(ProviderErrorKind.Overloaded, ex.Kind);
        Assert.Contains("503", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_MessageEchoingTheKey_IsScrubbed()
    {
        var body = $$$"""{"error":{"code":400,"message":"API key not valid: {{{GeminiTestClients.ApiKey}}} and AIzaSyA1b2C3d4E5f6G7h8","status":"INVALID_ARGUMENT"}}""";

        var ex = Map(400, body);

        Assert.DoesNotContain(GeminiTestClients.ApiKey, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AIzaSyA1b2C3d4E5f6G7h8", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[redacted]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapStreamError_UsesCodeAndStatus()
    {
        using var doc = JsonDocument.Parse("""{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.5s"}]}""");

        var ex = GeminiErrorMapper.MapStreamError(doc.RootElement, "gemini", GeminiTestClients.ApiKey);

        Assert.Equal(ProviderErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(1.5), ex.RetryAfter);
    }

    private static ProviderException Map(int status, string body, params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return GeminiErrorMapper.Map(status, response.Headers, body, "gemini", GeminiTestClients.ApiKey, TimeProvider.System);
    }
}
