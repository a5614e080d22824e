using System.Text.RegularExpressions;
using Switchboard.Guardrails;

namespace Switchboard.Tests.Guardrails;

public sealed partial class PromptCompactorTests
{
    private const string Code = "```python\ndef f(x):\n    y  =  x   # two  spaces\n\n\n\n    return y   \n```";

    public static TheoryData<string> TextsWithCode() =>
    [
        "Review   this:   \n\n\n\n" + Code + "\n\n\n\nThanks   !",
        Code,
        "Intro\n" + Code + "\nMiddle   text\n\n\n" + Code.Replace("python", "", StringComparison.Ordinal) + "\n",
        "~~~\nkeep    this\n\n\n\n   and this   \n~~~\n\n\nafter",
        "Unterminated:\n```\nline   one\n\n\n\nline    two   ",
        "Nested fence\n````md\n```\ninner   code\n```\n````\nend   ",
    ];

    [Theory]
    [MemberData(nameof(TextsWithCode))]
    public void FencedCode_IsNeverChanged(string text)
    {
        foreach (var compactor in new[] { new PromptCompactor(), new PromptCompactor(abbreviations: true) })
        {
            var output = compactor.Compact(text);
            var before = Fences().Matches(text).Select(m => m.Value).ToList();
            var after = Fences().Matches(output).Select(m => m.Value).ToList();
            Assert.Equal(before, after);
        }
    }

    [Fact]
    public void ProseWhitespace_IsNormalised_ButIndentationKept()
    {
        var text = "Hello    world   \n\n\n\n  - item   one\n  - item\t\ttwo\n\n\nBye   ";
        Assert.Equal("Hello world\n\n  - item one\n  - item two\n\nBye", new PromptCompactor().Compact(text));
    }

    [Fact]
    public void IndentedLines_AreLeftAlone()
    {
        var text = "Config:\n    server:\n      host:   0.0.0.0\n\tkey:  value";
        Assert.Equal(text, new PromptCompactor().Compact(text));
    }

    [Fact]
    public void DuplicateContextBlocks_AreRemoved_AcrossMessages()
    {
        var chunk = "Deployment policy: every service is deployed through the release pipeline.";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var compactor = new PromptCompactor();

        var first = compactor.Compact($"Context:\n\n{chunk}\n\nThanks!\n\n{chunk}", seen);
        var second = compactor.Compact($"{chunk}\n\nThanks!\n\nQuestion?", seen);

        Assert.Equal($"Context:\n\n{chunk}\n\nThanks!", first);
        Assert.Equal("Thanks!\n\nQuestion?", second); // short paragraphs may repeat
    }

    [Fact]
    public void DuplicateRemoval_CanBeTurnedOff()
    {
        var chunk = "Deployment policy: every service is deployed through the release pipeline.";
        var text = $"{chunk}\n\n{chunk}";
        Assert.Equal(text, new PromptCompactor(removeDuplicateBlocks: false).Compact(text));
    }

    [Fact]
    public void Abbreviations_OnlyWhenEnabled()
    {
        var text = "For example, update the documentation as soon as possible.";

        Assert.Equal(text, new PromptCompactor().Compact(text));
        var abbreviated = new PromptCompactor(abbreviations: true).Compact(text);
        Assert.NotEqual(text, abbreviated);
        Assert.True(Switchboard.Pricing.TokenEstimator.Default.CountText(abbreviated) < Switchboard.Pricing.TokenEstimator.Default.CountText(text));
        Assert.DoesNotContain("as soon as possible", abbreviated, StringComparison.Ordinal);
    }

    [Fact]
    public void Abbreviations_SkipLinesWithInlineCode()
    {
        var text = "Set `information` in the configuration.";
        Assert.Equal(text, new PromptCompactor(abbreviations: true).Compact(text));
    }

    // A fence line, everything up to the closing fence of the same character (or the end).
    [GeneratedRegex(@"(?ms)^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(^ {0,3}\1[`~]*[ \t]*$|\z)")]
    private static partial Regex Fences();
}
