namespace Switchboard.Ledger;

// TEMPORARY until the one-write-path journal lands: Append queues for the store; FlushAsync has nothing to wait for.
public sealed partial class LedgerWriter
{
    public void Append(LedgerRecord record)
    {
        _ = StartAsync(CancellationToken.None); // used without a host (library, CLI): the first record starts the writer
        Enqueue(record);
    }

    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
}
