using System.Text.Json.Nodes;

namespace Switchboard.Emulator;

/// <summary>How a reply ended, mapped to each provider's finish reason.</summary>
internal enum ReplyFinish
{
    Stop,
    Length,
    StopSequence,
    ToolCall,
    ContentFilter,
}

/// <summary>The generated reply: text split into token pieces, or one tool call, plus usage.</summary>
internal sealed record Reply(
    string Text,
    IReadOnlyList<string> Pieces,
    ReplyFinish Finish,
    string? MatchedStop,
    ToolCallReply? ToolCall,
    int PromptTokens,
    int CompletionTokens)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}

/// <summary>A forced tool call: deterministic id, tool name and arguments (object and JSON text).</summary>
internal sealed record ToolCallReply(string Id, string Name, JsonObject Arguments)
{
    public string ArgumentsJson => Arguments.ToJsonString();

    /// <summary>The argument JSON in at least two pieces, for streaming.</summary>
    public IReadOnlyList<string> ArgumentPieces()
    {
        var json = ArgumentsJson;
        var pieces = EmulatorTokenizer.Split(json);
        return pieces.Count >= 2 || json.Length < 2 ? pieces : [json[..1], json[1..]];
    }
}
