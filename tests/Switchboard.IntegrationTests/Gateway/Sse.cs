using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>Reads a whole SSE response into (event, data) pairs.</summary>
public static class Sse
{
    public static async Task<List<(string Event, string Data)>> ReadAllAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var frames = new List<(string, string)>();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
            {
                frames.Add((item.EventType, item.Data));
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            frames.Add(("<broken>", e.Message));
        }

        return frames;
    }

    public static JsonElement Json(string data) => JsonDocument.Parse(data).RootElement.Clone();
}
