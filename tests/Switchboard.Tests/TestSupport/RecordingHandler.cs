using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Switchboard.Tests.TestSupport;

/// <summary>An <see cref="HttpMessageHandler"/> that records each request and answers from a queue of canned replies.</summary>
public sealed class RecordingHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpResponseMessage>> _replies = new();

    /// <summary>Requests seen, in order, with their bodies read as text.</summary>
    public List<RecordedRequest> Requests { get; } = [];

    /// <summary>Queues a reply with the given status, body and content type.</summary>
    public RecordingHandler Reply(HttpStatusCode status, string body, string contentType = "application/json",
        IDictionary<string, string>? headers = null)
    {
        _replies.Enqueue(() =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                response.Headers.TryAddWithoutValidation(name, value);
            }

            return response;
        });
        return this;
    }

    /// <summary>Queues a reply whose body is the given stream (for SSE that breaks or stalls).</summary>
    public RecordingHandler Reply(HttpStatusCode status, Stream body, string contentType = "text/event-stream")
    {
        _replies.Enqueue(() =>
        {
            var content = new StreamContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            return new HttpResponseMessage(status) { Content = content };
        });
        return this;
    }

    /// <summary>Queues a reply read from a fixture file under the test output's <c>Fixtures</c> folders.</summary>
    public RecordingHandler ReplyWithFixture(string relativePath, HttpStatusCode status = HttpStatusCode.OK, IDictionary<string, string>? headers = null) =>
        Reply(status, Fixture.Read(relativePath), relativePath.EndsWith(".sse", StringComparison.Ordinal) ? "text/event-stream" : "application/json", headers);

    /// <summary>An <see cref="HttpClient"/> over this handler.</summary>
    public HttpClient CreateClient() => new(this, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add(new RecordedRequest(request.Method, request.RequestUri!,
                request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
                body));
        }

        return _replies.TryDequeue(out var reply)
            ? reply()
            : throw new InvalidOperationException("RecordingHandler has no reply queued for " + request.RequestUri);
    }
}

/// <summary>One request seen by <see cref="RecordingHandler"/>.</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body);
