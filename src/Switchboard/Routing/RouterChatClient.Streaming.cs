using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Pricing;
using Switchboard.Resilience;
using Switchboard.Telemetry;

namespace Switchboard.Routing;

public sealed partial class RouterChatClient
{
    /// <summary>
    /// Streams from the first candidate that produces content. Until that first content chunk exists nothing is
    /// yielded, so a failing candidate is replaced invisibly; after it, a failure surfaces as a
    /// <see cref="ProviderException"/> with <c>OutputCommitted</c> and the partial usage, never as a clean end.
    /// </summary>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var state = Begin(list, options);
        // The one total a stream can have, and only when the operator asks for it: a stream that keeps flowing is never cut.
        using var maxStream = _options.MaxStreamSeconds is { } max ? new CancellationTokenSource(TimeSpan.FromSeconds(max), _time) : null;
        using var linked = maxStream is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, maxStream.Token);
        var token = linked?.Token ?? cancellationToken;

        OpenStream? open = null;
        while (open is null && state.NextCandidate() is { } deployment)
        {
            open = await TryOpenStreamAsync(deployment, list, options, state, cancellationToken, token).ConfigureAwait(false);
            if (open is null)
            {
                ThrowIfCancelled(state, cancellationToken);
                ThrowIfStreamLimit(maxStream, state);
                LogFallover(state, deployment);
            }
        }

        if (open is null)
        {
            throw Failed(state);
        }

        SwitchboardTelemetry.OpenStreams.Add(1);
        try
        {
            await using var _ = open;
            state.Result.Deployment = open.Deployment;
            var usage = new UsageTracker();
            // Every update goes to the caller the moment it is read (a held-back update would reach the caller one
            // upstream chunk late). The context's RoutingResult gets its usage and cost before the enumeration ends.
            foreach (var update in open.Head)
            {
                usage.Observe(update);
                yield return update;
            }

            while (true)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    open.Clock.Failure(new OperationCanceledException(cancellationToken), callerCancelled: true, committed: true, usage.Current,
                        open.Clock.Cost(usage.Current));
                    state.Finish("cancelled");
                    cancellationToken.ThrowIfCancellationRequested();
                }

                ChatResponseUpdate? next = null;
                ProviderException? error = null;
                try
                {
                    if (await open.Stream.MoveNextAsync().ConfigureAwait(false))
                    {
                        next = open.Stream.Current;
                    }
                }
                catch (Exception ex)
                {
                    state.Result.UpstreamTime += open.Clock.Elapsed;
                    var failure = maxStream is { IsCancellationRequested: true } && !cancellationToken.IsCancellationRequested
                        ? StreamLimitReached(open.Deployment, ex)
                        : ex;
                    error = open.Clock.Failure(failure, cancellationToken.IsCancellationRequested, committed: true, usage.Current,
                        open.Clock.Cost(usage.Current));
                    if (error is null)
                    {
                        state.Finish("cancelled");
                        throw; // the caller cancelled: recorded as such, never counted against the provider
                    }
                }

                if (error is not null)
                {
                    error.OutputCommitted = true;
                    error.PartialUsage ??= usage.Current;
                    state.Result.Usage = error.PartialUsage;
                    state.Result.CostUsd = open.Clock.Cost(error.PartialUsage);
                    state.Finish("error", error);
                    throw error;
                }

                if (next is null)
                {
                    break;
                }

                usage.Observe(next);
                yield return next;
            }

            state.Result.Usage = usage.Current;
            state.Result.CostUsd = open.Clock.Cost(usage.Current);
            state.Result.UpstreamTime += open.Clock.Elapsed;
            if (_resilience.Limiter(open.Deployment) is { IsLimited: true } limiter)
            {
                limiter.Settle(state.Plan.EstimatedInputTokens, usage.Current?.TotalTokenCount ?? 0); // counted only for a limit
            }
            open.Clock.Success(usage.Current, state.Result.CostUsd, usage.FinishReason, usage.ModelId);
            state.Finish("success");
        }
        finally
        {
            SwitchboardTelemetry.OpenStreams.Add(-1);
        }
    }

    /// <summary>Opens a candidate's stream through its pipeline and reads until its first content; null when it failed.</summary>
    private Task<OpenStream?> TryOpenStreamAsync(Deployment deployment, IReadOnlyList<ChatMessage> messages, ChatOptions? options,
        RequestState state, CancellationToken caller, CancellationToken token) =>
        _attempts.ExecuteAsync(deployment, state, (client: _providers[deployment.Provider], messages, options: ForDeployment(options, deployment), token),
            streamed: true, static async (s, clock, ct) =>
            {
                // The stream outlives this callback, so it runs on its own token; Polly's (first-token timeout) guards only until first content.
                var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(s.token);
                IAsyncEnumerator<ChatResponseUpdate>? stream = null;
                try
                {
                    await using var registration = ct.Register(static c => ((CancellationTokenSource)c!).Cancel(), attemptCts).ConfigureAwait(false);
                    stream = s.client.GetStreamingResponseAsync(s.messages, s.options, attemptCts.Token).GetAsyncEnumerator(attemptCts.Token);
                    var head = new List<ChatResponseUpdate>();
                    while (await stream.MoveNextAsync().ConfigureAwait(false))
                    {
                        head.Add(stream.Current);
                        if (ChatUpdates.HasContent(stream.Current))
                        {
                            clock.MarkFirstToken();
                            return new OpenStream(clock.Deployment, stream, attemptCts, clock, head, Ended: false);
                        }
                    }

                    return new OpenStream(clock.Deployment, stream, attemptCts, clock, head, Ended: true);
                }
                catch
                {
                    if (stream is not null)
                    {
                        await stream.DisposeAsync().ConfigureAwait(false);
                    }

                    attemptCts.Dispose();
                    throw; // recorded as the attempt's failure by the runner
                }
            }, caller, token);

    private void ThrowIfStreamLimit(CancellationTokenSource? maxStream, RequestState state)
    {
        if (maxStream is { IsCancellationRequested: true })
        {
            state.LastError = new ProviderException(ProviderErrorKind.Timeout,
                $"The stream did not start within Switchboard:Routing:MaxStreamSeconds ({_options.MaxStreamSeconds} s).");
            throw Failed(state);
        }
    }

    private ProviderException StreamLimitReached(Deployment deployment, Exception inner) =>
        new(ProviderErrorKind.Timeout, $"The stream from {deployment.Name} reached Switchboard:Routing:MaxStreamSeconds ({_options.MaxStreamSeconds} s).",
            deployment.Provider, innerException: inner);

    /// <summary>A candidate's stream after its first content: the updates read so far and the rest to come.</summary>
    private sealed record OpenStream(Deployment Deployment, IAsyncEnumerator<ChatResponseUpdate> Stream, CancellationTokenSource Cancellation,
        AttemptClock Clock, List<ChatResponseUpdate> Head, bool Ended) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Cancellation.CancelAsync().ConfigureAwait(false);
            await Stream.DisposeAsync().ConfigureAwait(false);
            Cancellation.Dispose();
        }
    }
}
