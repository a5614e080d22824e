using System.Text.Json;

namespace Switchboard.Providers.OpenAI;

/// <summary>Wire shape of a <c>chat.completion</c> reply and of each <c>chat.completion.chunk</c> of a stream.</summary>
internal sealed class OpenAIChatCompletion
{
    public string? Id { get; init; }
    public long? Created { get; init; }
    public string? Model { get; init; }
    public List<OpenAIChoice>? Choices { get; init; }
    public OpenAIUsage? Usage { get; init; }

    /// <summary>An in-stream error (<c>data: {"error": …}</c>); kept raw for the error mapper.</summary>
    public JsonElement? Error { get; init; }
}
