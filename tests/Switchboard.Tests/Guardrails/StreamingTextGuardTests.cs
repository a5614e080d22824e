using Switchboard.Guardrails;

namespace Switchboard.Tests.Guardrails;

public sealed class StreamingTextGuardTests
{
    [Fact]
    public void MatchSplitAcrossChunks_IsCaught()
    {
        var filter = new ContentFilter(new ContentFilterOptions { Categories = [], OutputPatterns = ["forbidden-word"] });
        var guard = new StreamingTextGuard(16, text =>
            filter.FindInOutput(text).Count > 0 ? throw new GuardrailBlockedException(GuardNames.ContentFilter, "output", "x") : []);

        var released = guard.Push("this is harmless text that goes on and on, then forbid");
        Assert.DoesNotContain("forbid", released, StringComparison.Ordinal);
        Assert.Throws<GuardrailBlockedException>(() => guard.Push("den-word and more"));
    }

    [Fact]
    public void PlaceholderSplitAcrossChunks_IsRestored()
    {
        var vault = new PiiVault();
        var redacted = vault.Redact("mail ann@example.com", new PiiDetector().Find("mail ann@example.com"));
        Assert.Equal("mail [EMAIL_1]", redacted);
        var guard = new StreamingTextGuard(16, text => [.. vault.FindPlaceholders(text).Select(m => new TextEdit(m.Index, m.Length, m.Label))]);

        var chunks = new[] { "Sure, I wrote to [EM", "AIL", "_1] and ", "also [EMAIL_1", "]. That is all for today, have a good one." };
        var output = string.Concat(chunks.Select(guard.Push)) + guard.Flush();

        Assert.Equal("Sure, I wrote to ann@example.com and also ann@example.com. That is all for today, have a good one.", output);
    }

    [Fact]
    public void TextWithoutMatches_IsReleasedUnchanged_ExceptTheLookBehind()
    {
        var guard = new StreamingTextGuard(8, _ => []);

        Assert.Equal("", guard.Push("short"));
        Assert.Equal("short and a bi", guard.Push(" and a bit longer"));
        Assert.Equal("t longer", guard.Flush());
    }
}
