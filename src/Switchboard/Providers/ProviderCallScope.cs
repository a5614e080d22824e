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
internal sealed class ProviderCallScope : IDisposable
{
    private readonly CancellationToken _caller;
    private readonly CancellationTokenSource _idle;
    private readonly CancellationTokenSource _linked;
    private readonly TimeSpan _idleTimeout;
    private readonly string _provider;

    public ProviderCallScope(string provider, ProviderOptions options, TimeProvider time, CancellationToken caller)
        : this(provider, TimeSpan.FromSeconds(options.StreamIdleTimeoutSeconds), time, caller)
    {
    }

    public ProviderCallScope(string provider, TimeSpan idleTimeout, TimeProvider time, CancellationToken caller)
    {
        _provider = provider;
        _caller = caller;
        _idleTimeout = idleTimeout;
        _idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _idle.Token);
    }

    /// <summary>The token every I/O of this call must observe.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Whether the stream has produced content: from then on, silence longer than the idle timeout ends it.</summary>
    public bool ContentStarted { get; private set; }

    /// <summary>Notes an update on its way to the caller; the first with content starts the idle clock.</summary>
    public void Observe(ChatResponseUpdate update)
    {
        if (!ContentStarted && ChatUpdates.HasContent(update))
        {
            ContentStarted = true;
        }
    }

    /// <summary>Starts (or restarts) the wait for the next event, once content has started.</summary>
    public void ArmIdle()
    {
        if (ContentStarted)
        {
            _idle.CancelAfter(_idleTimeout);
        }
    }

    /// <summary>Stops the idle clock while the consumer holds an event.</summary>
    public void DisarmIdle()
    {
        if (ContentStarted)
        {
            _idle.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Maps a transport exception to what the caller should see; returns false to let it propagate as is.</summary>
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

        if (_idle.IsCancellationRequested)
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
        _linked.Dispose();
        _idle.Dispose();
    }
}
