namespace Switchboard.Ledger;

/// <summary>An append refused because the journal already holds <c>Switchboard:Ledger:JournalMaxBytes</c> of records the store has not taken yet.</summary>
public sealed class JournalFullException(string path, long bytes, long maxBytes)
    : IOException($"Ledger journal {path} is full: {bytes} bytes pending, limit {maxBytes} (Switchboard:Ledger:JournalMaxBytes)");
