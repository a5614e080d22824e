using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers;

/// <summary>
/// The cancellation of one provider call: the caller's token (which carries the router's attempt and first-token
/// deadlines) and, once a stream has produced content, the idle timeout between its events — the one timeout the
/// adapter owns. Translates what the transport throws into the shared taxonomy, and never turns the caller's own
/// cancellation into a provider error.
/// </summary>
/// <remarks>
/// The idle clock is one timer per stream, created at the first content. Waiting for an event only stamps the time
/// (<see cref="BeginWait"/>/<see cref="EndWait"/>); the timer, when it fires, compares that stamp with the timeout and
/// either cancels or sleeps for what is left. So a chunk costs a timestamp, not a timer reschedule.
/// </remarks>
internal sealed class ProviderCallScope : IDisposable
{
    private const long NotWaiting = long.MinValue;

    private readonly string _provider;
    private readonly CancellationToken _caller;
    private readonly TimeProvider _time;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationTokenSource? _stream;
    private ITimer? _idleTimer;
    private long _waitingSince = NotWaiting;
    private volatile bool _idleExpired;

    private ProviderCallScope(string provider, TimeProvider time, TimeSpan idleTimeout, bool stream, CancellationToken caller)
    {
        _provider = provider;
        _caller = caller;
        _time = time;
        _idleTimeout = idleTimeout;
        _stream = stream ? CancellationTokenSource.CreateLinkedTokenSource(caller) : null;
    }

    /// <summary>A scope for a call answered in one body: the caller's token alone.</summary>
    public static ProviderCallScope ForResponse(string provider, CancellationToken caller) =>
        new(provider, TimeProvider.System, Timeout.InfiniteTimeSpan, stream: false, caller);

    /// <summary>A scope for a stream: the caller's token plus the idle timeout once content has started.</summary>
    public static ProviderCallScope ForStream(string provider, TimeSpan idleTimeout, TimeProvider time, CancellationToken caller) =>
        new(provider, time, idleTimeout, stream: true, caller);

    /// <summary>The token every I/O of this call must observe.</summary>
    public CancellationToken Token => _stream?.Token ?? _caller;

    /// <summary>Notes an update on its way to the caller; the first with content starts the idle clock.</summary>
    public void Observe(ChatResponseUpdate update)
    {
        if (_idleTimer is null && _stream is not null && ChatUpdates.HasContent(update))
        {
            _idleTimer = _time.CreateTimer(static state => ((ProviderCallScope)state!).OnIdleTimer(), this,
                Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _idleTimer.Change(_idleTimeout, Timeout.InfiniteTimeSpan); // armed once assigned, so its callback can re-arm it
        }
    }

    /// <summary>The stream starts waiting for its next event: the idle clock runs, once content has started.</summary>
    public void BeginWait()
    {
        if (_idleTimer is not null)
        {
            Volatile.Write(ref _waitingSince, _time.GetTimestamp());
        }
    }

    /// <summary>An event arrived: the idle clock stops while the consumer holds it.</summary>
    public void EndWait()
    {
        if (_idleTimer is not null)
        {
            Volatile.Write(ref _waitingSince, NotWaiting);
        }
    }

    /// <summary>Maps a transport exception to what the caller should see (itself when it needs no mapping).</summary>
    public Exception Translate(Exception ex)
    {
        if (ex is ProviderException)
        {
            return ex;
        }

        if (_caller.IsCancellationRequested)
        {
            return ex as OperationCanceledException ?? new OperationCanceledException(_caller);
        }

        if (_idleExpired)
        {
            return new ProviderException(ProviderErrorKind.Timeout,
                $"No data from {_provider} within the stream idle timeout of {_idleTimeout.TotalSeconds:0.###} s.", _provider, innerException: ex);
        }

        if (ex is TimeoutException)
        {
            return new ProviderException(ProviderErrorKind.Timeout, $"{_provider} timed out: {SecretScrubber.Scrub(ex.Message)}", _provider, innerException: ex);
        }

        return ex switch
        {
            HttpRequestException or IOException or SocketException =>
                new ProviderException(ProviderErrorKind.Network, $"Connection to {_provider} failed: {SecretScrubber.Scrub(ex.Message)}", _provider, innerException: ex),
            JsonException or FormatException or InvalidOperationException =>
                new ProviderException(ProviderErrorKind.MalformedResponse, $"{_provider} sent a response that could not be read: {SecretScrubber.Scrub(ex.Message)}", _provider, innerException: ex),
            OperationCanceledException =>
                new ProviderException(ProviderErrorKind.Network, $"The call to {_provider} was aborted.", _provider, innerException: ex),
            _ => ex,
        };
    }

    public void Dispose()
    {
        _idleTimer?.Dispose();
        _stream?.Dispose();
    }

    private void OnIdleTimer()
    {
        var since = Volatile.Read(ref _waitingSince);
        var left = since == NotWaiting ? _idleTimeout : _idleTimeout - _time.GetElapsedTime(since);
        try
        {
            if (left > TimeSpan.Zero)
            {
                _idleTimer?.Change(left, Timeout.InfiniteTimeSpan); // an event came meanwhile, or the consumer holds one
                return;
            }

            _idleExpired = true;
            _stream?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The stream ended while the timer fired.
        }
    }
}
