using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Providers.OpenAI;

/// <summary>Maps OpenAI error replies and in-stream error chunks to <see cref="ProviderException"/>. Pure.</summary>
internal static class OpenAIErrorMapper
{
    private const int MaxPlainTextMessage = 300;

    /// <summary>Maps an HTTP error reply: kind from the status, refined by <c>error.code</c> / <c>error.type</c>.</summary>
    public static ProviderException Map(int status, HttpResponseHeaders headers, string body, string provider, string? apiKey, TimeProvider time)
    {
        var (message, type, code) = Read(body);
        var kind = Classify(status, type, code, message);
        var text = string.IsNullOrWhiteSpace(message) ? $"{provider} answered HTTP {status}." : message;
        return new ProviderException(kind, SecretScrubber.Scrub(text, apiKey), provider, status,
            RetryAfterParser.FromHeaders(headers, time), code ?? type);
    }

    /// <summary>Maps the <c>error</c> member of an in-stream chunk (<c>data: {"error": …}</c>).</summary>
    public static ProviderException MapStreamError(JsonElement error, string provider, string? apiKey)
    {
        var (message, type, code) = ReadError(error);
        var kind = Classify(null, type, code, message);
        var text = string.IsNullOrWhiteSpace(message) ? $"{provider} reported an error in the stream." : message;
        return new ProviderException(kind, SecretScrubber.Scrub(text, apiKey), provider, providerCode: code ?? type);
    }

    private static ProviderErrorKind Classify(int? status, string? type, string? code, string? message)
    {
        if (Is("insufficient_quota"))
        {
            return ProviderErrorKind.QuotaExceeded;
        }

        if (Is("context_length_exceeded") || Contains("maximum context length") || Contains("context window"))
        {
            return ProviderErrorKind.ContextLengthExceeded;
        }

        if (Is("content_filter") || Is("content_policy_violation"))
        {
            return ProviderErrorKind.ContentFiltered;
        }

        if (Is("rate_limit_exceeded"))
        {
            return ProviderErrorKind.RateLimited;
        }

        if (Is("invalid_api_key"))
        {
            return ProviderErrorKind.Authentication;
        }

        if (Is("model_not_found"))
        {
            return ProviderErrorKind.NotFound;
        }

        // Some OpenAI-compatible servers put the HTTP status in "code".
        status ??= int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c is >= 400 and < 600 ? c : null;
        if (status is int s)
        {
            return ProviderException.KindFromStatus(s);
        }

        return type == "invalid_request_error" ? ProviderErrorKind.InvalidRequest : ProviderErrorKind.ServerError;

        bool Is(string value) => code == value || type == value;
        bool Contains(string value) => message?.Contains(value, StringComparison.OrdinalIgnoreCase) == true;
    }

    private static (string? Message, string? Type, string? Code) Read(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            // OpenAI: {"error": {...}}; some servers: {"error": "text"} or the fields at the top (vLLM).
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error)
                ? ReadError(error)
                : ReadError(root);
        }
        catch (JsonException)
        {
            var text = body.Trim();
            return (text.Length > MaxPlainTextMessage ? text[..MaxPlainTextMessage] + "…" : text, null, null);
        }
    }

    private static (string? Message, string? Type, string? Code) ReadError(JsonElement error) => error.ValueKind switch
    {
        JsonValueKind.String => (error.GetString(), null, null),
        JsonValueKind.Object => (Text(error, "message"), Text(error, "type"), Text(error, "code")),
        _ => (null, null, null),
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
