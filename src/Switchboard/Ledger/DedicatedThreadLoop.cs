using System.Collections.Concurrent;

namespace Switchboard.Ledger;

/// <summary>
/// Runs an asynchronous loop on one dedicated thread: its continuations are posted back to that thread (a single-threaded
/// <see cref="SynchronizationContext"/>), so the loop keeps running when the thread pool is saturated or starved, and it
/// never takes a pool thread from requests while it does blocking disk or SQLite work.
/// </summary>
internal sealed class DedicatedThreadLoop : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _posted = [];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DedicatedThreadLoop()
    {
    }

    /// <summary>Starts <paramref name="loop"/> on a new background thread named <paramref name="name"/>; the task ends with it.</summary>
    public static Task Start(string name, Func<Task> loop)
    {
        var context = new DedicatedThreadLoop();
        var thread = new Thread(() => context.Run(loop)) { IsBackground = true, Name = name };
        thread.Start();
        return context._done.Task;
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        try
        {
            _posted.Add((d, state));
        }
        catch (InvalidOperationException)
        {
            ThreadPool.QueueUserWorkItem(s => d(s), state, preferLocal: false); // the loop has ended: run stragglers on the pool
        }
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException();

    public override SynchronizationContext CreateCopy() => this;

    private void Run(Func<Task> loop)
    {
        SetSynchronizationContext(this);
        Task task;
        try
        {
            task = loop();
        }
        catch (Exception ex)
        {
            task = Task.FromException(ex);
        }

        task.ContinueWith(_ => _posted.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        foreach (var (callback, state) in _posted.GetConsumingEnumerable())
        {
            callback(state);
        }

        if (task.IsFaulted)
        {
            _done.TrySetException(task.Exception!.InnerExceptions);
        }
        else if (task.IsCanceled)
        {
            _done.TrySetCanceled();
        }
        else
        {
            _done.TrySetResult();
        }
    }
}
