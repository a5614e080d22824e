using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Switchboard.IntegrationTests.Gateway;

namespace Switchboard.IntegrationTests.Chaos;

/// <summary>Sends one request of a <see cref="ChaosShape"/> through the gateway and judges how it ended.</summary>
public static class ChaosClient
{
    /// <summary>The longest any one request may take before it counts as a hang.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    private static readonly string[] s_providers = ["openai", "anthropic", "gemini"];

    public static async Task<ChaosOutcome> SendAsync(HttpClient http, ChaosShape shape, int sequence, string phase, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, shape.Path)
        {
            Content = new StringContent(shape.Body(sequence), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-switchboard-task", shape.Task);
        request.Headers.Add("x-switchboard-cache", "no-store");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        var started = Stopwatch.GetTimestamp();
        ChaosOutcome Outcome(ChaosVerdict verdict, HttpResponseMessage? response, string detail) => new(
            phase, shape, verdict, response is null ? 0 : (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            int.TryParse(Header(response, "x-switchboard-attempts"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0,
            Header(response, "x-switchboard-provider"), detail);

        HttpResponseMessage? response = null;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.StatusCode == HttpStatusCode.OK && shape.Stream)
            {
                var frames = await Sse.ReadAllAsync(response, timeout.Token);
                var (verdict, detail) = JudgeStream(shape, frames);
                return Outcome(verdict, response, detail);
            }

            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var (v, d) = response.StatusCode switch
            {
                HttpStatusCode.OK => JudgeAnswer(shape, body),
                HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable => JudgeAllFailed(shape, body),
                _ => (ChaosVerdict.Failed, $"HTTP {(int)response.StatusCode}: {Trim(body)}"),
            };
            return Outcome(v, response, d);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Outcome(ChaosVerdict.Failed, response, $"no complete answer within {RequestTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            return Outcome(ChaosVerdict.Failed, response, "connection to the gateway failed: " + e.Message);
        }
        finally
        {
            response?.Dispose();
        }
    }

    /// <summary>A stream succeeds with its end frame and no error frame; an error after content is a permitted cut.</summary>
    public static (ChaosVerdict Verdict, string Detail) JudgeStream(ChaosShape shape, IReadOnlyList<(string Event, string Data)> frames)
    {
        var content = false;
        var done = false;
        foreach (var (name, data) in frames)
        {
            if (name == "<broken>")
            {
                return (ChaosVerdict.Failed, $"stream connection broke ({(content ? "after" : "before")} content) instead of an error frame: {data}");
            }

            if (IsError(shape, name, data))
            {
                return content && !done
                    ? (ChaosVerdict.CutAfterContent, "error frame after content: " + Trim(data))
                    : (ChaosVerdict.Failed, "error frame before any content: " + Trim(data));
            }

            content |= IsContent(shape, name, data);
            done |= shape.Messages ? name == "message_stop" : data == "[DONE]";
        }

        return done && content
            ? (ChaosVerdict.Succeeded, "")
            : (ChaosVerdict.Failed, $"stream ended without {(done ? "content" : "its end frame")} ({frames.Count} frames)");
    }

    private static (ChaosVerdict, string) JudgeAnswer(ChaosShape shape, string body)
    {
        try
        {
            var json = JsonDocument.Parse(body).RootElement;
            var whole = shape.Messages
                ? json.TryGetProperty("type", out var type) && type.GetString() == "message" && json.GetProperty("content").GetArrayLength() > 0
                : json.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0 && choices[0].TryGetProperty("message", out _);
            return whole ? (ChaosVerdict.Succeeded, "") : (ChaosVerdict.Failed, "200 without an answer: " + Trim(body));
        }
        catch (JsonException)
        {
            return (ChaosVerdict.Failed, "200 with a body that is not JSON: " + Trim(body));
        }
    }

    /// <summary>Every candidate failed: the endpoint's own error shape, and a message naming each provider tried.</summary>
    private static (ChaosVerdict, string) JudgeAllFailed(ChaosShape shape, string body)
    {
        string? message;
        try
        {
            var json = JsonDocument.Parse(body).RootElement;
            var error = json.GetProperty("error");
            var shaped = shape.Messages
                ? json.TryGetProperty("type", out var type) && type.GetString() == "error" && error.TryGetProperty("type", out _)
                : error.TryGetProperty("type", out _) && error.TryGetProperty("code", out _);
            message = shaped && error.TryGetProperty("message", out var m) ? m.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            message = null;
        }

        if (message is null)
        {
            return (ChaosVerdict.Failed, "502/503 not in the endpoint's error format: " + Trim(body));
        }

        var missing = s_providers.Where(p => !message.Contains(p, StringComparison.OrdinalIgnoreCase)).ToList();
        return missing.Count == 0
            ? (ChaosVerdict.CleanFailure, Trim(message))
            : (ChaosVerdict.Failed, $"502/503 that does not list the attempts on {string.Join(", ", missing)}: {Trim(message)}");
    }

    private static bool IsError(ChaosShape shape, string name, string data) =>
        shape.Messages ? name == "error" : data.StartsWith("{\"error\"", StringComparison.Ordinal) || (data.StartsWith('{') && HasProperty(data, "error"));

    private static bool IsContent(ChaosShape shape, string name, string data)
    {
        if (shape.Messages)
        {
            return name == "content_block_delta";
        }

        if (!data.StartsWith('{') || !HasProperty(data, "choices"))
        {
            return false;
        }

        using var doc = JsonDocument.Parse(data);
        var choices = doc.RootElement.GetProperty("choices");
        return choices.GetArrayLength() > 0 && choices[0].TryGetProperty("delta", out var delta)
            && ((delta.TryGetProperty("content", out var text) && text.ValueKind == JsonValueKind.String && text.GetString()!.Length > 0)
                || delta.TryGetProperty("tool_calls", out _));
    }

    private static bool HasProperty(string json, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? Header(HttpResponseMessage? response, string name) =>
        response is not null && (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
            ? values.FirstOrDefault()
            : null;

    private static string Trim(string? text) => text is null ? "" : text.Length <= 300 ? text : text[..300] + "...";
}
