using Microsoft.Extensions.Logging;

namespace Switchboard.Guardrails;

/// <summary>
/// The guards that read one text on its own, the content filter's word lists and PII, and what a guard does when it
/// triggers (counted, reported, or a <see cref="GuardrailBlockedException"/>). Chat messages go through them in
/// <see cref="GuardrailChatClient"/>, embedding inputs in <see cref="EmbeddingGuardrailGenerator"/>.
/// </summary>
internal sealed partial class TextGuards(GuardrailOptions options, ILogger logger)
{
    public ContentFilter Filter { get; } = new(options.ContentFilter);

    private readonly PiiDetector _pii = new(options.Pii.Kinds?.Select(k => Enum.Parse<PiiKind>(k, ignoreCase: true)));

    /// <summary>The content filter on an input text: acts on what it finds; returns the text to send (the same instance when unchanged).</summary>
    public string FilterInput(string text, GuardrailRun run) =>
        Apply(text, run, GuardNames.ContentFilter, run.Plan.Content, Filter.FindInInput(text), "denied content",
            static (text, found, _) => TextEdits.Apply(text, [.. found.Select(f => new TextEdit(f.Index, f.Length, GuardrailChatClient.Filtered))]));

    /// <summary>PII in an input text: acts on what it finds; returns the text to send, with placeholders from the request's
    /// vault when the action is redact (the same instance when unchanged).</summary>
    public string GuardPii(string text, GuardrailRun run) =>
        Apply(text, run, GuardNames.Pii, run.Plan.Pii, _pii.Find(text), "personal data", static (text, found, run) => run.Vault.Redact(text, found));

    private string Apply(string text, GuardrailRun run, string guard, string action, IReadOnlyList<TextMatch> found, string what,
        Func<string, IReadOnlyList<TextMatch>, GuardrailRun, string> redact)
    {
        if (found.Count == 0)
        {
            return text;
        }

        Act(run, guard, action, "input", what + " (" + Labels(found) + ")");
        return action == GuardrailActions.Redact ? redact(text, found, run) : text;
    }

    /// <summary>Counts and reports a trigger; a block is logged and thrown.</summary>
    public void Act(GuardrailRun run, string guard, string action, string stage, string reason)
    {
        run.Triggered(guard, action, stage);
        if (action == GuardrailActions.Block)
        {
            LogBlocked(logger, guard, stage, reason);
            throw new GuardrailBlockedException(guard, stage, reason);
        }
    }

    public static string Labels(IEnumerable<TextMatch> found) => string.Join(", ", found.Select(f => f.Label).Distinct());

    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "Guardrail {Guard} blocked the {Stage}: {Reason}")]
    private static partial void LogBlocked(ILogger logger, string guard, string stage, string reason);
}
