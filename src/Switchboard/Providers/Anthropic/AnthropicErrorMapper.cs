using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Maps Anthropic errors (<c>{"type":"error","error":{"type","message"}}</c>) to <see cref="ProviderException"/>, from an HTTP
/// reply or from an <c>event: error</c> inside a stream. Pure.
/// </summary>
internal static class AnthropicErrorMapper
{
    private const int MaxPlainTextMessage = 300;

    /// <summary>Maps an HTTP error reply; the retry delay comes from <c>retry-after-ms</c> / <c>retry-after</c>.</summary>
    public static ProviderException Map(int status, HttpResponseHeaders headers, string body, string provider, string? apiKey, TimeProvider time) =>
        Create(Read(body), status, RetryAfterParser.FromHeaders(headers, time), provider, apiKey);

    /// <summary>Maps the UTF-8 data of an in-stream <c>error</c> event (the HTTP status was already 200, so there is none).</summary>
    public static ProviderException Map(ReadOnlySpan<byte> data, string provider, string? apiKey) =>
        Create(Read(data), null, null, provider, apiKey);

    private static ProviderException Create(AnthropicError error, int? status, TimeSpan? retryAfter, string provider, string? apiKey)
    {
        var text = string.IsNullOrWhiteSpace(error.Message)
            ? status is int s ? $"{provider} answered HTTP {s}." : $"{provider} reported an error in the stream."
            : error.Message;
        var code = string.IsNullOrEmpty(error.Type) ? null : error.Type;
        return new ProviderException(Classify(status, code, error.Message), SecretScrubber.Scrub(text, apiKey), provider, status, retryAfter, code);
    }

    private static ProviderErrorKind Classify(int? status, string? type, string? message) => type switch
    {
        "invalid_request_error" when IsContextTooLong(message) => ProviderErrorKind.ContextLengthExceeded,
        "invalid_request_error" or "request_too_large" => ProviderErrorKind.InvalidRequest,
        "authentication_error" => ProviderErrorKind.Authentication,
        "permission_error" => ProviderErrorKind.Permission,
        "not_found_error" => ProviderErrorKind.NotFound,
        "rate_limit_error" => ProviderErrorKind.RateLimited,
        "billing_error" => ProviderErrorKind.QuotaExceeded,
        "api_error" => ProviderErrorKind.ServerError,
        "overloaded_error" => ProviderErrorKind.Overloaded,
        "timeout_error" => ProviderErrorKind.Timeout,
        _ when status is int s => ProviderException.KindFromStatus(s),
        _ => ProviderErrorKind.ServerError, // an unknown in-stream error: the provider failed mid-answer
    };

    // "prompt is too long: 210000 tokens > 200000 maximum" is Anthropic's wording; the others cover proxies and older messages.
    private static bool IsContextTooLong(string? message) => message is not null &&
        (message.Contains("prompt is too long", StringComparison.OrdinalIgnoreCase) ||
         message.Contains("context window", StringComparison.OrdinalIgnoreCase) ||
         message.Contains("context length", StringComparison.OrdinalIgnoreCase));

    private static AnthropicError Read(ReadOnlySpan<byte> data)
    {
        try
        {
            return JsonSerializer.Deserialize(data, AnthropicJsonContext.Default.AnthropicStreamEvent)?.Error ?? new AnthropicError();
        }
        catch (JsonException)
        {
            return Read(Encoding.UTF8.GetString(data)); // not JSON: the text path keeps the start of it as the message
        }
    }

    private static AnthropicError Read(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new AnthropicError();
        }

        try
        {
            var parsed = JsonSerializer.Deserialize(body, AnthropicJsonContext.Default.AnthropicStreamEvent);
            return parsed?.Error ?? new AnthropicError();
        }
        catch (JsonException)
        {
            // A proxy's HTML or plain-text page: keep the start of it as the message.
            var text = body.Trim();
            return new AnthropicError { Message = text.Length > MaxPlainTextMessage ? text[..MaxPlainTextMessage] + "…" : text };
        }
    }
}
