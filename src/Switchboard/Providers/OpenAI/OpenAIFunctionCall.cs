namespace Switchboard.Providers.OpenAI;

/// <summary>Wire shape of a function call: arguments are JSON text (a fragment of it in a stream).</summary>
internal sealed class OpenAIFunctionCall
{
    public string? Name { get; init; }
    public string? Arguments { get; init; }
}
