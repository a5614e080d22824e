using System.Buffers;
using System.Net.Http.Headers;

namespace Switchboard.Providers.Gemini;

/// <summary>A Gemini API call: <c>POST {base}models/{model}{action}</c> with the JSON body, the key in <c>x-goog-api-key</c> and the configured headers.</summary>
internal static class GeminiHttp
{
    private const string ApiKeyHeader = "x-goog-api-key";

    public static HttpRequestMessage Post(string baseUrl, string model, string action, ArrayBufferWriter<byte> body, ProviderOptions options)
    {
        var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl + "models/" + Uri.EscapeDataString(model) + action)) { Content = content };
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            request.Headers.TryAddWithoutValidation(ApiKeyHeader, options.ApiKey);
        }

        foreach (var (header, value) in options.Headers)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        return request;
    }
}
