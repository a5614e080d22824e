namespace Switchboard.IntegrationTests.Chaos;

/// <summary>One kind of request the load sends: endpoint, streaming or not, and the task hint.</summary>
public sealed record ChaosShape(string Name, bool Messages, bool Stream, string Task)
{
    /// <summary>The mix, in turn: chat completions (code_generation and general, streaming and not) and some /v1/messages.</summary>
    public static IReadOnlyList<ChaosShape> Mix { get; } =
    [
        new("chat code", false, false, "code_generation"),
        new("chat code stream", false, true, "code_generation"),
        new("chat general", false, false, "general"),
        new("chat general stream", false, true, "general"),
        new("chat code", false, false, "code_generation"),
        new("chat code stream", false, true, "code_generation"),
        new("messages code", true, false, "code_generation"),
        new("messages code stream", true, true, "code_generation"),
    ];

    public string Path => Messages ? "v1/messages" : "v1/chat/completions";

    /// <summary>A body with a prompt unique to <paramref name="sequence"/>, so no two requests share a cache entry.</summary>
    public string Body(int sequence)
    {
        var prompt = $"chaos request {sequence}: write a small function";
        var stream = Stream ? "true" : "false";
        return Messages
            ? $$"""{"model":"auto","max_tokens":200,"stream":{{stream}},"messages":[{"role":"user","content":"{{prompt}}"}]}"""
            : Stream
                ? $$"""{"model":"auto","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"{{prompt}}"}]}"""
                : $$"""{"model":"auto","messages":[{"role":"user","content":"{{prompt}}"}]}""";
    }
}
