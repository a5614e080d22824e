using System.Diagnostics;

namespace Switchboard.LoadGen;

/// <summary>Reads one OpenAI-style SSE stream: time to the first content token and to the end of the stream.</summary>
internal static class StreamReading
{
    /// <summary>Ok: the stream ended with [DONE]. FirstTokenMs is set (not negative) whenever a token arrived, even when cancelled.</summary>
    public readonly record struct Timing(bool Ok, double FirstTokenMs, double LastTokenMs);

    public static async Task<Timing> ReadOneAsync(LoadTarget target, CancellationToken cancellationToken)
    {
        using var request = target.NewRequest();
        var sent = Stopwatch.GetTimestamp();
        double first = -1, last = -1;
        try
        {
            using var response = await target.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new Timing(false, -1, -1);
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(body);
            var done = false;
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal))
                {
                    continue;
                }

                if (line.Contains("[DONE]", StringComparison.Ordinal))
                {
                    done = true;
                    break;
                }

                if (line.Contains("\"error\"", StringComparison.Ordinal))
                {
                    return new Timing(false, -1, -1);
                }

                // A chunk that carries text: "content":"x..." (the first role-only chunk does not count).
                var at = line.IndexOf("\"content\":\"", StringComparison.Ordinal);
                if (at >= 0 && at + 11 < line.Length && line[at + 11] != '"')
                {
                    last = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                    if (first < 0)
                    {
                        first = last;
                    }
                }
            }

            return new Timing(done && first >= 0, first, last);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return new Timing(false, first, last);
        }
    }
}
