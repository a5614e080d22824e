namespace Switchboard.Ledger;

/// <summary>Records read from the journal, and the offset to commit once the store has them. <see cref="Lines"/> counts the
/// lines that held something, unreadable ones included: what the commit takes off the journal's pending records.</summary>
public sealed record JournalSegment(IReadOnlyList<LedgerRecord> Records, long EndOffset, int Lines);
