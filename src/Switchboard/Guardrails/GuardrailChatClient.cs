using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Chat;
using Switchboard.Pricing;

namespace Switchboard.Guardrails;

/// <summary>
/// The guardrail pipeline as a chat client. Before the inner client: prompt-injection scoring, content filtering (and
/// the optional moderation call), PII redaction and prompt compaction, each with the action in force for the request's
/// route and key. After it: the content filter on the answer and the restoring of PII placeholders, on streams chunk by
/// chunk with a look-behind. A block throws <see cref="GuardrailBlockedException"/>, naming the guard.
/// </summary>
public sealed partial class GuardrailChatClient : DelegatingChatClient
{
    internal const string Removed = "[content removed by the PromptInjection guardrail]";
    internal const string Filtered = "[FILTERED]";
    private static readonly ChatRole[] UserSide = [ChatRole.User, ChatRole.Tool];
    private static readonly ChatRole[] PromptSide = [ChatRole.System, ChatRole.User, ChatRole.Tool];

    private readonly GuardrailOptions _options;
    private readonly PromptInjectionScorer _scorer = PromptInjectionScorer.Default;
    private readonly TextGuards _guards;
    private readonly PromptCompactor _compactor;
    private readonly ModerationClient? _moderation;
    private readonly TokenEstimator _estimator;
    private readonly ILogger _logger;

    public GuardrailChatClient(IChatClient innerClient, GuardrailOptions options, ModerationClient? moderation = null,
        TokenEstimator? estimator = null, ILogger<GuardrailChatClient>? logger = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _compactor = new PromptCompactor(options.Compaction.RemoveDuplicateBlocks, options.Compaction.Abbreviations);
        _moderation = options.ContentFilter.Moderation.Enabled ? moderation : null;
        _estimator = estimator ?? TokenEstimator.Default;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _guards = new TextGuards(options, _logger);
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var context = SwitchboardContext.Ensure(ref options);
        var plan = GuardrailPlan.Resolve(_options, options.ModelId, context);
        if (plan.AllOff)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }

        var run = new GuardrailRun(plan, options.ModelId, context);
        var prepared = await PrepareAsync([.. messages], options, run, cancellationToken);
        var response = await base.GetResponseAsync(prepared, options, cancellationToken);
        if (OutputScan(run) is { } scan)
        {
            foreach (var message in response.Messages)
            {
                for (var i = 0; i < message.Contents.Count; i++)
                {
                    if (message.Contents[i] is TextContent { Text.Length: > 0 } text)
                    {
                        message.Contents[i] = new TextContent(TextEdits.Apply(text.Text, scan(text.Text))) { AdditionalProperties = text.AdditionalProperties };
                    }
                }
            }
        }

        return response;
    }

    /// <summary>Runs the input guards in order; returns the messages to send (the caller's list is never changed).</summary>
    private async Task<List<ChatMessage>> PrepareAsync(List<ChatMessage> messages, ChatOptions options, GuardrailRun run,
        CancellationToken cancellationToken)
    {
        var plan = run.Plan;
        if (plan.Injection != GuardrailActions.Off)
        {
            CheckInjection(messages, run);
        }

        if (plan.Content != GuardrailActions.Off)
        {
            await CheckContentAsync(messages, run, cancellationToken);
        }

        if (plan.Pii != GuardrailActions.Off)
        {
            foreach (var slot in MessageTexts.Slots(messages, PromptSide))
            {
                var guarded = _guards.GuardPii(slot.Text, run);
                if (!ReferenceEquals(guarded, slot.Text))
                {
                    MessageTexts.Replace(messages, slot, guarded);
                }
            }
        }

        if (plan.Compaction != GuardrailActions.Off)
        {
            Compact(messages, options, run);
        }

        return messages;
    }

    private void CheckInjection(List<ChatMessage> messages, GuardrailRun run)
    {
        foreach (var slot in MessageTexts.Slots(messages, UserSide))
        {
            if (slot.FromTool && !_options.PromptInjection.ScanToolResults)
            {
                continue;
            }

            var assessment = _scorer.Score(slot.Text, slot.FromTool);
            if (assessment.Score < run.Plan.Threshold)
            {
                continue;
            }

            var reason = string.Create(CultureInfo.InvariantCulture,
                $"possible prompt injection in {(slot.FromTool ? "a tool result" : "a user message")} (score {assessment.Score:0.00}: {string.Join(", ", assessment.Signals.Take(4))})");
            _guards.Act(run, GuardNames.PromptInjection, run.Plan.Injection, "input", reason);
            if (run.Plan.Injection == GuardrailActions.Redact)
            {
                MessageTexts.Replace(messages, slot, Removed);
            }
        }
    }

    private async Task CheckContentAsync(List<ChatMessage> messages, GuardrailRun run, CancellationToken cancellationToken)
    {
        var action = run.Plan.Content;
        var slots = MessageTexts.Slots(messages, UserSide);
        foreach (var slot in slots)
        {
            var filtered = _guards.FilterInput(slot.Text, run);
            if (!ReferenceEquals(filtered, slot.Text))
            {
                MessageTexts.Replace(messages, slot, filtered);
            }
        }

        if (_moderation is null || slots.Count == 0)
        {
            return;
        }

        ModerationResult verdict;
        try
        {
            verdict = await _moderation.CheckAsync(string.Join("\n\n", slots.Select(s => s.Text)), cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
        {
            LogModerationFailed(_logger, ex.GetType().Name);
            if (_options.ContentFilter.Moderation.FailOpen)
            {
                return;
            }

            throw new GuardrailBlockedException(GuardNames.ContentFilter, "input", "the moderation check could not be made");
        }

        if (verdict.Flagged)
        {
            // A verdict on the whole text cannot be redacted span by span: redact acts as block here.
            var effective = action == GuardrailActions.Redact ? GuardrailActions.Block : action;
            _guards.Act(run, GuardNames.ContentFilter, effective, "input", "flagged by moderation (" + string.Join(", ", verdict.Categories) + ")");
        }
    }

    private void Compact(List<ChatMessage> messages, ChatOptions options, GuardrailRun run)
    {
        var context = SwitchboardContext.Of(options)!;
        var before = context.InputTokens(_estimator, messages, options);
        var compacted = new List<ChatMessage>(messages);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slot in MessageTexts.Slots(compacted, ChatRole.System, ChatRole.User))
        {
            if (slot.FromTool)
            {
                continue;
            }

            var text = _compactor.Compact(slot.Text, seen);
            if (!string.Equals(text, slot.Text, StringComparison.Ordinal))
            {
                MessageTexts.Replace(compacted, slot, text);
            }
        }

        var after = _estimator.CountInput(compacted, options);
        var apply = run.Plan.Compaction == GuardrailActions.Compact;
        run.RecordSavings(Math.Max(0, before - after), apply ? after : null);
        if (apply)
        {
            messages.Clear();
            messages.AddRange(compacted);
        }
    }

    /// <summary>What the answer is checked for: the content filter and the restoring of placeholders; null when nothing.</summary>
    private Func<string, IReadOnlyList<TextEdit>>? OutputScan(GuardrailRun run)
    {
        var filter = run.Plan.Content != GuardrailActions.Off && _guards.Filter.ChecksOutput;
        var restore = run.Plan.Pii == GuardrailActions.Redact && _options.Pii.Restore && run.HasPlaceholders;
        if (!filter && !restore)
        {
            return null;
        }

        return text =>
        {
            var edits = new List<TextEdit>();
            if (filter && _guards.Filter.FindInOutput(text) is { Count: > 0 } found)
            {
                _guards.Act(run, GuardNames.ContentFilter, run.Plan.Content, "output", "denied content in the answer (" + TextGuards.Labels(found) + ")");
                if (run.Plan.Content == GuardrailActions.Redact)
                {
                    edits.AddRange(found.Select(f => new TextEdit(f.Index, f.Length, Filtered)));
                }
            }

            if (restore)
            {
                edits.AddRange(run.Vault.FindPlaceholders(text).Select(m => new TextEdit(m.Index, m.Length, m.Label)));
            }

            return edits;
        };
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "The moderation call failed ({Error}); applying Switchboard:Guardrails:ContentFilter:Moderation:FailOpen")]
    private static partial void LogModerationFailed(ILogger logger, string error);
}
