using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Emulator;

/// <summary>Counts model requests per protocol and keeps the last 200 of them.</summary>
internal sealed class EmulatorRecorder
{
    private const int MaxKept = 200;
    private static readonly HashSet<string> s_credentialHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "x-api-key", "x-goog-api-key", "api-key", "cookie", "proxy-authorization",
    };

    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<EmulatorRequest> _requests = new();
    private readonly Lock _gate = new();
    private int _total;
    private long _sequence;

    public int Total => Volatile.Read(ref _total);

    public int CountFor(string protocol) => _counts.TryGetValue(protocol, out var n) ? n : 0;

    public IReadOnlyList<EmulatorRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>A number unique per request, used for deterministic ids.</summary>
    public long NextSequence() => Interlocked.Increment(ref _sequence);

    public void Record(string protocol, string path, string? model, string body, IHeaderDictionary headers)
    {
        Interlocked.Increment(ref _total);
        _counts.AddOrUpdate(protocol, 1, static (_, n) => n + 1);
        var kept = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            if (!s_credentialHeaders.Contains(name))
            {
                kept[name] = value.ToString();
            }
        }

        lock (_gate)
        {
            _requests.Enqueue(new EmulatorRequest(protocol, path, model, body, kept));
            while (_requests.Count > MaxKept)
            {
                _requests.Dequeue();
            }
        }
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _total, 0);
        _counts.Clear();
        lock (_gate)
        {
            _requests.Clear();
        }
    }
}
