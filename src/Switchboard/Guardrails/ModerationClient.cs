using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Switchboard.Guardrails;

/// <summary>Calls an OpenAI-compatible <c>POST /v1/moderations</c> endpoint (through IHttpClientFactory).</summary>
public sealed class ModerationClient(IHttpClientFactory factory, ModerationOptions options)
{
    /// <summary>The verdict on <paramref name="input"/>; throws <see cref="HttpRequestException"/> or a timeout when the call fails.</summary>
    public async Task<ModerationResult> CheckAsync(string input, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        var http = factory.CreateClient(GuardrailDefaults.ModerationHttpClient);
        var url = new Uri(new Uri(EnsureSlash(options.BaseUrl!)), "v1/moderations");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(Body(input), Encoding.UTF8, "application/json") };
        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        }

        using var response = await http.SendAsync(request, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The moderation endpoint answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        using var json = await JsonDocument.ParseAsync(stream, cancellationToken: timeout.Token);
        return Parse(json.RootElement);
    }

    internal static ModerationResult Parse(JsonElement root)
    {
        var flagged = false;
        var categories = new SortedSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
        {
            foreach (var result in results.EnumerateArray())
            {
                flagged |= result.TryGetProperty("flagged", out var f) && f.ValueKind == JsonValueKind.True;
                if (result.TryGetProperty("categories", out var cats) && cats.ValueKind == JsonValueKind.Object)
                {
                    foreach (var cat in cats.EnumerateObject().Where(c => c.Value.ValueKind == JsonValueKind.True))
                    {
                        categories.Add(cat.Name);
                    }
                }
            }
        }

        return new ModerationResult(flagged, [.. categories]);
    }

    private string Body(string input)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model", options.Model);
            writer.WriteString("input", input);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string EnsureSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
