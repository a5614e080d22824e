using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Chat;

namespace Switchboard.Guardrails;

/// <summary>
/// The guardrails of the embedding pipeline: every input text through the content filter's word lists and the PII guard,
/// with the action in force for the request's route and key, as for chat. Block refuses the request naming the guard;
/// redact embeds the text with <c>[FILTERED]</c> or the PII placeholders in place (never restored: a vector holds no text
/// to put them back in); flag reports it. Prompt-injection scoring, compaction and the moderation call concern prompts a
/// model follows or answers, and do not run here. With both guards off the request passes through untouched.
/// </summary>
public sealed class EmbeddingGuardrailGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly GuardrailOptions _options;
    private readonly TextGuards _guards;

    public EmbeddingGuardrailGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, GuardrailOptions options,
        ILogger<EmbeddingGuardrailGenerator>? logger = null)
        : base(innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _guards = new TextGuards(options, logger ?? (ILogger)NullLogger.Instance);
    }

    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var context = SwitchboardContext.Ensure(ref options);
        var plan = GuardrailPlan.Resolve(_options, options.ModelId, context);
        if (plan.Content == GuardrailActions.Off && plan.Pii == GuardrailActions.Off)
        {
            return base.GenerateAsync(values, options, cancellationToken);
        }

        var run = new GuardrailRun(plan, options.ModelId, context);
        var inputs = values as IReadOnlyList<string> ?? [.. values];
        string[]? guarded = null;
        for (var i = 0; i < inputs.Count; i++)
        {
            var text = inputs[i];
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            if (plan.Content != GuardrailActions.Off)
            {
                text = _guards.FilterInput(text, run);
            }

            if (plan.Pii != GuardrailActions.Off)
            {
                text = _guards.GuardPii(text, run);
            }

            if (!ReferenceEquals(text, inputs[i]))
            {
                guarded ??= [.. inputs];
                guarded[i] = text;
            }
        }

        return base.GenerateAsync(guarded ?? inputs, options, cancellationToken);
    }
}
