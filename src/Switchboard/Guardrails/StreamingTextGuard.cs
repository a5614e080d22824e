namespace Switchboard.Guardrails;

/// <summary>
/// Scans a streamed answer chunk by chunk. The last <c>lookBehind</c> characters are held back, and so is any match
/// that reaches the end of what has arrived, so a match (or a placeholder) split across chunks is still whole when it
/// is scanned. The scan may throw to cut the stream; its edits are applied to the text as it is released.
/// </summary>
internal sealed class StreamingTextGuard(int lookBehind, Func<string, IReadOnlyList<TextEdit>> scan)
{
    private string _pending = "";

    /// <summary>Adds a chunk; returns the text that may be sent now (possibly empty).</summary>
    public string Push(string chunk)
    {
        _pending += chunk;
        var edits = scan(_pending);
        var cut = Math.Max(0, _pending.Length - lookBehind);
        foreach (var e in edits)
        {
            if (e.End >= _pending.Length || (e.Index < cut && e.End > cut))
            {
                cut = Math.Min(cut, e.Index);
            }
        }

        if (cut == 0)
        {
            return "";
        }

        var released = TextEdits.Apply(_pending[..cut], [.. edits.Where(e => e.End <= cut)]);
        _pending = _pending[cut..];
        return released;
    }

    /// <summary>The rest, scanned as complete text, at the end of the answer.</summary>
    public string Flush()
    {
        if (_pending.Length == 0)
        {
            return "";
        }

        var released = TextEdits.Apply(_pending, scan(_pending));
        _pending = "";
        return released;
    }
}
