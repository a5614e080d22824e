namespace Switchboard.Ledger;

/// <summary>Records read from the journal, and the offset (and line count) to commit once the store has them.</summary>
public sealed record JournalSegment(IReadOnlyList<LedgerRecord> Records, long EndOffset, int Lines);
