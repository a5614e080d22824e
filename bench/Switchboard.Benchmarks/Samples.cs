using Microsoft.Extensions.AI;

namespace Switchboard.Benchmarks;

/// <summary>The request every benchmark maps: a system prompt, a short exchange and the usual options.</summary>
internal static class Samples
{
    public static List<ChatMessage> Messages() =>
    [
        new(ChatRole.System, "You are a concise assistant. Answer in one paragraph."),
        new(ChatRole.User, "What is the capital of France?"),
        new(ChatRole.Assistant, "Paris."),
        new(ChatRole.User, "And what river runs through it? Say a little about its history and why it matters to the city."),
    ];

    public static ChatOptions Options() => new()
    {
        ModelId = "openai/gpt-4.1-mini",
        Temperature = 0.2f,
        MaxOutputTokens = 512,
        TopP = 0.9f,
        StopSequences = ["\n\n\n"],
    };

    /// <summary>The body a client sends to <c>/v1/chat/completions</c>.</summary>
    public const string OpenAIBody = """
        {"model":"openai/gpt-4.1-mini","temperature":0.2,"max_tokens":512,"top_p":0.9,"stop":["\n\n\n"],
         "messages":[{"role":"system","content":"You are a concise assistant. Answer in one paragraph."},
                     {"role":"user","content":"What is the capital of France?"},
                     {"role":"assistant","content":"Paris."},
                     {"role":"user","content":"And what river runs through it? Say a little about its history and why it matters to the city."}]}
        """;

    /// <summary>Words of a 40-chunk streamed answer.</summary>
    public static IEnumerable<string> Words() =>
        Enumerable.Range(0, 40).Select(i => (i % 8) switch { 0 => " The", 1 => " Seine", 2 => " runs", 3 => " through", 4 => " Paris", 5 => " and", 6 => " its", _ => " history." });
}
