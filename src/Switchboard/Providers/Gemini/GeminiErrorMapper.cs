using System.Net.Http.Headers;
using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Maps Gemini <c>google.rpc.Status</c> errors (<c>{"error":{"code","message","status","details"}}</c>) to
/// <see cref="ProviderException"/>, from an HTTP reply or from an error event inside a stream. Pure.
/// </summary>
internal static class GeminiErrorMapper
{
    private const int MaxPlainTextMessage = 300;
    private const string RetryInfoType = "type.googleapis.com/google.rpc.RetryInfo";

    /// <summary>Maps an HTTP error reply. The retry delay comes from the body's <c>RetryInfo</c>, else from headers.</summary>
    public static ProviderException Map(int status, HttpResponseHeaders headers, string body, string provider, string? apiKey, TimeProvider time)
    {
        var error = Read(body);
        var kind = Classify(status, error);
        var text = string.IsNullOrWhiteSpace(error.Message) ? $"{provider} answered HTTP {status}." : error.Message;
        var retryAfter = error.RetryDelay ?? RetryAfterParser.FromHeaders(headers, time);
        return new ProviderException(kind, SecretScrubber.Scrub(text, apiKey), provider, status, retryAfter, error.Status);
    }

    /// <summary>Maps the <c>error</c> member of a stream event (<c>data: {"error": …}</c>).</summary>
    public static ProviderException MapStreamError(JsonElement error, string provider, string? apiKey)
    {
        var read = ReadError(error);
        var kind = Classify(read.Code, read);
        var text = string.IsNullOrWhiteSpace(read.Message) ? $"{provider} reported an error in the stream." : read.Message;
        return new ProviderException(kind, SecretScrubber.Scrub(text, apiKey), provider, read.Code, read.RetryDelay, read.Status);
    }

    private static ProviderErrorKind Classify(int? status, GeminiError error)
    {
        if (error.Reason == "API_KEY_INVALID")
        {
            return ProviderErrorKind.Authentication; // Gemini answers a bad key with 400 INVALID_ARGUMENT, never 401
        }

        if (IsContextTooLong(error.Message))
        {
            return ProviderErrorKind.ContextLengthExceeded;
        }

        return error.Status switch
        {
            "INVALID_ARGUMENT" or "FAILED_PRECONDITION" or "OUT_OF_RANGE" => ProviderErrorKind.InvalidRequest,
            "UNAUTHENTICATED" => ProviderErrorKind.Authentication,
            "PERMISSION_DENIED" => ProviderErrorKind.Permission,
            "NOT_FOUND" => ProviderErrorKind.NotFound,
            "RESOURCE_EXHAUSTED" => ProviderErrorKind.RateLimited,
            "INTERNAL" or "UNKNOWN" or "DATA_LOSS" => ProviderErrorKind.ServerError,
            "UNAVAILABLE" => ProviderErrorKind.Overloaded,
            "DEADLINE_EXCEEDED" => ProviderErrorKind.Timeout,
            _ when status is int s => ProviderException.KindFromStatus(s),
            _ => ProviderErrorKind.ServerError,
        };
    }

    private static bool IsContextTooLong(string? message) => message is not null &&
        (message.Contains("input token count", StringComparison.OrdinalIgnoreCase) ||
         message.Contains("exceeds the maximum number of tokens", StringComparison.OrdinalIgnoreCase) ||
         message.Contains("context window", StringComparison.OrdinalIgnoreCase));

    private static GeminiError Read(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            // A streaming request's error may come as an array of one status ([{"error": …}]).
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                root = root[0];
            }

            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) ? ReadError(error) : default;
        }
        catch (JsonException)
        {
            var text = body.Trim();
            return new GeminiError(null, text.Length > MaxPlainTextMessage ? text[..MaxPlainTextMessage] + "…" : text, null, null, null);
        }
    }

    private static GeminiError ReadError(JsonElement error)
    {
        if (error.ValueKind == JsonValueKind.String)
        {
            return new GeminiError(null, error.GetString(), null, null, null);
        }

        if (error.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        int? code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : null;
        string? reason = null;
        TimeSpan? retryDelay = null;
        if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
        {
            foreach (var detail in details.EnumerateArray())
            {
                if (detail.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                reason ??= Text(detail, "reason");
                if (Text(detail, "@type") == RetryInfoType)
                {
                    retryDelay = RetryAfterParser.ParseDuration(Text(detail, "retryDelay"));
                }
            }
        }

        return new GeminiError(code, Text(error, "message"), Text(error, "status"), reason, retryDelay);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private readonly record struct GeminiError(int? Code, string? Message, string? Status, string? Reason, TimeSpan? RetryDelay);
}
