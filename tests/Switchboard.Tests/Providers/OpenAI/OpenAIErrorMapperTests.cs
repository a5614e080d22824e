using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Chat;
using Switchboard.Providers.OpenAI;
using static Switchboard.Tests.Providers.OpenAI.OpenAITestClients;

namespace Switchboard.Tests.Providers.OpenAI;

public sealed class OpenAIErrorMapperTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    private static ProviderException Map(int status, string body, params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return OpenAIErrorMapper.Map(status, response.Headers, body, "openai", ApiKey, Time);
    }

    private static string Error(string message, string type, string? code) =>
        JsonSerializer.Serialize(new { error = new { message, type, param = (string?)null, code } });

    [Fact]
    public void Map_401_IsAuthenticationAndHidesKey()
    {
        var ex = Map(401, Error($"Incorrect API key provided: {ApiKey}. You can find your API key at https://platform.openai.com/account/api-keys.",
            "invalid_request_error", "invalid_api_key"));

        Assert.Equal(ProviderErrorKind.Authentication, ex.Kind);
        Assert.Equal(401, ex.StatusCode);
        Assert.Equal("invalid_api_key", ex.ProviderCode);
        Assert.DoesNotContain(ApiKey, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Incorrect API key provided", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_429WithRetryAfter_IsRateLimitedWithDelay()
    {
        var ex = Map(429, Error("Rate limit reached for gpt-4o-mini on tokens per min (TPM).", "tokens", "rate_limit_exceeded"),
            ("retry-after", "2"));

        Assert.Equal(ProviderErrorKind.RateLimited, ex.Kind);
        Assert.True(ex.IsRetryable);
        Assert.Equal(TimeSpan.FromSeconds(2), ex.RetryAfter);
        Assert.Equal("rate_limit_exceeded", ex.ProviderCode);
    }

    [Fact]
    public void Map_429WithRetryAfterMs_PrefersMilliseconds()
    {
        var ex = Map(429, Error("Slow down", "requests", "rate_limit_exceeded"), ("retry-after", "2"), ("retry-after-ms", "1500"));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), ex.RetryAfter);
    }

    [Fact]
    public void Map_InsufficientQuota_IsQuotaExceededAndNotRetryable()
    {
        var ex = Map(429, Error("You exceeded your current quota, please check your plan and billing details.",
            "insufficient_quota", "insufficient_quota"));

        Assert.Equal(ProviderErrorKind.QuotaExceeded, ex.Kind);
        Assert.False(ex.IsRetryable);
    }

    [Fact]
    public void Map_ContextLengthExceeded_ByCode()
    {
        var ex = Map(400, Error("This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
            "invalid_request_error", "context_length_exceeded"));

        Assert.Equal(ProviderErrorKind.ContextLengthExceeded, ex.Kind);
    }

    [Fact]
    public void Map_ContextLengthExceeded_ByMessageOnly()
    {
        var ex = Map(400, Error("This model's maximum context length is 8192 tokens.", "invalid_request_error", null));

        Assert.Equal(ProviderErrorKind.ContextLengthExceeded, ex.Kind);
    }

    [Fact]
    public void Map_ContentPolicyViolation_IsContentFiltered()
    {
        var ex = Map(400, Error("Your request was rejected by the safety system.", "invalid_request_error", "content_policy_violation"));

        Assert.Equal(ProviderErrorKind.ContentFiltered, ex.Kind);
    }

    [Theory]
    [InlineData(500, ProviderErrorKind.ServerError)]
    [InlineData(503, ProviderErrorKind.Overloaded)]
    [InlineData(404, ProviderErrorKind.NotFound)]
    [InlineData(400, ProviderErrorKind.InvalidRequest)]
    public void Map_Status_SetsKind(int status, ProviderErrorKind kind)
    {
        var ex = Map(status, Error("The server had an error while processing your request.", "server_error", null));

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(status, ex.StatusCode);
    }

    [Fact]
    public void Map_NonJsonBody_KeepsTextAndStatusKind()
    {
        var ex = Map(502, $"<html><body>502 Bad Gateway (key {ApiKey})</body></html>");

        Assert.Equal(ProviderErrorKind.ServerError, ex.Kind);
        Assert.Contains("502 Bad Gateway", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_EmptyBody_NamesStatus()
    {
        var ex = Map(503, "");

        Assert.Equal(ProviderErrorKind.Overloaded, ex.Kind);
        Assert.Contains("503", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapStreamError_RateLimit_IsRateLimited()
    {
        using var doc = JsonDocument.Parse("""{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}""");

        var ex = OpenAIErrorMapper.MapStreamError(doc.RootElement, "openai", ApiKey);

        Assert.Equal(ProviderErrorKind.RateLimited, ex.Kind);
        Assert.Null(ex.StatusCode);
    }
}
