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
        var response = await client.GetResponseAsync(Messages(prompt, systemPrompt), Options(route, generation), cancellationToken).ConfigureAwait(false);
        var result = response.GetRoutingResult() ?? throw new InvalidOperationException("The chat client is not a Switchboard router.");
        return ToResponse(response.Text, response.ModelId, result);
    }

    public async IAsyncEnumerable<LlmStreamChunk> StreamAsync(string prompt, string? systemPrompt = null, RouteOptions? route = null,
        GenerationOptions? generation = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        RoutingResult? result = null;
        string? model = null;
        await foreach (var update in client.GetStreamingResponseAsync(Messages(prompt, systemPrompt), Options(route, generation), cancellationToken)
                           .ConfigureAwait(false))
        {
            result ??= update.GetRoutingResult();
            model ??= update.ModelId;
            if (update.Text is { Length: > 0 } piece)
            {
                text.Append(piece);
                yield return new LlmStreamChunk(piece);
            }
        }

        if (result is not null)
        {
            yield return new LlmStreamChunk("", ToResponse(text.ToString(), model, result));
        }
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

    private static ChatOptions Options(RouteOptions? route, GenerationOptions? generation) =>
        new ChatOptions
        {
            ModelId = generation?.Model,
            Temperature = generation?.Temperature,
            MaxOutputTokens = generation?.MaxTokens,
        }.WithRoute(route ?? new RouteOptions());

    private static LlmResponse ToResponse(string text, string? model, RoutingResult result) =>
        new(text, model ?? result.Deployment?.Model ?? "", result.Deployment?.Provider ?? "",
            result.Usage?.TotalTokenCount ?? (result.Usage?.InputTokenCount ?? 0) + (result.Usage?.OutputTokenCount ?? 0),
            result.CostUsd, result);
}
