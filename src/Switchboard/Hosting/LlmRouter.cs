using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Hosting;

/// <summary><see cref="ILlmRouter"/> over the registered <see cref="IChatClient"/> (the router and its middleware).</summary>
internal sealed class LlmRouter(IChatClient client) : ILlmRouter
{
    public async Task<LlmResponse> GenerateAsync(string prompt, string? systemPrompt = null, RouteOptions? route = null,
        GenerationOptions? generation = null, CancellationToken cancellationToken = default)
    {
        var context = new SwitchboardContext { Route = route ?? RouteOptions.Default };
        var response = await client.GetResponseAsync(Messages(prompt, systemPrompt), Options(context, generation), cancellationToken).ConfigureAwait(false);
        return ToResponse(response.Text, response.ModelId, context);
    }

    public async IAsyncEnumerable<LlmStreamChunk> StreamAsync(string prompt, string? systemPrompt = null, RouteOptions? route = null,
        GenerationOptions? generation = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        var context = new SwitchboardContext { Route = route ?? RouteOptions.Default };
        string? model = null;
        await foreach (var update in client.GetStreamingResponseAsync(Messages(prompt, systemPrompt), Options(context, generation), cancellationToken)
                           .ConfigureAwait(false))
        {
            model ??= update.ModelId;
            if (update.Text is { Length: > 0 } piece)
            {
                text.Append(piece);
                yield return new LlmStreamChunk(piece);
            }
        }

        yield return new LlmStreamChunk("", ToResponse(text.ToString(), model, context));
    }

    private static List<ChatMessage> Messages(string prompt, string? systemPrompt)
    {
        var messages = new List<ChatMessage>(2);
        if (!string.IsNullOrEmpty(systemPrompt))
        {
            messages.Add(new ChatMessage(ChatRole.System, systemPrompt));
        }

        messages.Add(new ChatMessage(ChatRole.User, prompt));
        return messages;
    }

    private static ChatOptions Options(SwitchboardContext context, GenerationOptions? generation) =>
        new ChatOptions
        {
            ModelId = generation?.Model,
            Temperature = generation?.Temperature,
            MaxOutputTokens = generation?.MaxTokens,
        }.WithSwitchboard(context);

    /// <summary>The answer and how it was served; a cache hit is reported as the stored answer's provider and model, at no cost.</summary>
    private static LlmResponse ToResponse(string text, string? model, SwitchboardContext context)
    {
        var result = context.Routing ?? new RoutingResult { RequestId = context.RequestId };
        var hit = context.CacheStatus == CacheStatus.Hit ? context.Cache : null;
        return new(text, model ?? result.Deployment?.Model ?? hit?.Model ?? "", result.Deployment?.Provider ?? hit?.Provider ?? "",
            result.Usage?.TotalTokenCount ?? (result.Usage?.InputTokenCount ?? 0) + (result.Usage?.OutputTokenCount ?? 0),
            hit is null ? result.CostUsd : 0m, result)
        {
            CacheStatus = context.CacheStatus,
        };
    }
}
