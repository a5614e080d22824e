using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Switchboard.LoadGen;

/// <summary>Where and what to send: one URL, one JSON body, a bearer key and extra headers, over one pooled client.</summary>
internal sealed class LoadTarget : IDisposable
{
    private readonly byte[] _body;
    private readonly string? _key;
    private readonly List<KeyValuePair<string, string>> _headers;

    public LoadTarget(Uri url, string body, string? key, List<KeyValuePair<string, string>> headers)
    {
        Url = url;
        _body = Encoding.UTF8.GetBytes(body);
        _key = key;
        _headers = headers;
        Client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    public Uri Url { get; }

    public HttpClient Client { get; }

    public HttpRequestMessage NewRequest()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(_body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (_key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        }

        foreach (var (name, value) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public void Dispose() => Client.Dispose();
}
