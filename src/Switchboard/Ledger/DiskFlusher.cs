using System.Collections.Concurrent;

namespace Switchboard.Ledger;

/// <summary>
/// Runs blocking disk work (a write followed by <c>fsync</c>) on one dedicated thread, so a request that waits for
/// durability does not hold a thread-pool thread for the milliseconds a disk flush takes. On a gateway with one core,
/// a blocked pool thread stalled every other request for that long; the awaiting caller now simply yields.
/// </summary>
internal sealed class DiskFlusher : IDisposable
{
    private readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> _work = [];
    private readonly Thread _thread;

    public DiskFlusher(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the flusher thread; the task ends when it has.</summary>
    public Task RunAsync(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add((work, done));
        }
        catch (InvalidOperationException)
        {
            // Disposed (shutting down): do the work here rather than lose it.
            Execute(work, done);
        }

        return done.Task;
    }

    private void Run()
    {
        foreach (var (work, done) in _work.GetConsumingEnumerable())
        {
            Execute(work, done);
        }
    }

    private static void Execute(Action work, TaskCompletionSource done)
    {
        try
        {
            work();
            done.TrySetResult();
        }
        catch (Exception e)
        {
            done.TrySetException(e);
        }
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(10));
    }
}
