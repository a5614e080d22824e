using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Switchboard.Emulator;

/// <summary>Builds the deterministic emulated reply for a request: text, JSON, or a tool call (forced, or asked for by <c>call-tool</c>).</summary>
internal static class ReplyGenerator
{
    private const int DefaultFillerWords = 8;
    private const int QuoteLength = 40;

    private static readonly string[] s_filler =
    [
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima",
        "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform", "victor", "whiskey",
    ];

    public static Reply Generate(ChatCall call, FaultSpec fault, long sequence)
    {
        var promptTokens = call.PromptTokens;
        if (fault.Error == ErrorKinds.ContentFilter)
        {
            return new Reply("", [], ReplyFinish.ContentFilter, null, null, promptTokens, 0);
        }

        // call-tool calls on tool_choice auto too, except right after a tool result, so an agent loop ends with text.
        var callTool = call.ForceTool || (fault.CallTool && call.LastToolResult is null);
        if (callTool && PickTool(call, fault.CallToolName) is { } tool)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{(call.Protocol == "anthropic" ? "toolu" : "call")}_EMU{sequence:D8}");
            var toolCall = new ToolCallReply(id, tool.Name, ToolArgumentGenerator.ForObject(tool.Schema));
            var tokens = EmulatorTokenizer.Count(tool.Name) + EmulatorTokenizer.Count(toolCall.ArgumentsJson);
            return new Reply("", [], ReplyFinish.ToolCall, null, toolCall, promptTokens, tokens);
        }

        var text = call.JsonMode ? JsonReply(call) : TextReply(call, fault.ReplyTokens);
        var finish = ReplyFinish.Stop;
        string? matched = null;
        // Cutting at each match in turn leaves the text cut at the earliest one.
        foreach (var stop in call.StopSequences.Where(s => s.Length > 0))
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0)
            {
                text = text[..at];
                matched = stop;
                finish = ReplyFinish.StopSequence;
            }
        }

        if (call.MaxTokens is { } max && EmulatorTokenizer.Count(text) > max)
        {
            text = EmulatorTokenizer.Truncate(text, max);
            finish = ReplyFinish.Length;
            matched = null;
        }

        var pieces = EmulatorTokenizer.Split(text);
        return new Reply(text, pieces, finish, matched, null, promptTokens, EmulatorTokenizer.Count(text));
    }

    /// <summary>The short description every text reply starts with.</summary>
    public static string Describe(ChatCall call)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Emulated reply from {call.Protocol} ({call.Model}): ");
        sb.Append(CultureInfo.InvariantCulture, $"{call.MessageCount} message{(call.MessageCount == 1 ? "" : "s")}, ");
        sb.Append(call.HasSystem ? "with a system prompt" : "no system prompt");
        if (call.ImageCount > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $", {call.ImageCount} image{(call.ImageCount == 1 ? "" : "s")}");
        }

        if (call.LastToolResult is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $", received tool result \"{Quote(call.LastToolResult)}\".");
        }
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $", last user text \"{Quote(call.LastUserText)}\".");
        }

        return sb.ToString();
    }

    private static string TextReply(ChatCall call, int? replyTokens)
    {
        var sb = new StringBuilder(Describe(call));
        if (replyTokens is not { } target)
        {
            for (var i = 0; i < DefaultFillerWords; i++)
            {
                sb.Append(' ').Append(s_filler[i % s_filler.Length]);
            }

            return sb.ToString();
        }

        // Each filler word is one token; grow well past the target, then cut to exactly the target.
        var words = Math.Max(0, target - EmulatorTokenizer.Count(sb.ToString())) + 4;
        for (var i = 0; i < words; i++)
        {
            sb.Append(' ').Append(s_filler[i % s_filler.Length]);
        }

        return EmulatorTokenizer.Truncate(sb.ToString(), target);
    }

    private static string JsonReply(ChatCall call)
    {
        if (call.JsonSchema is not null)
        {
            return ToolArgumentGenerator.ForObject(call.JsonSchema).ToJsonString();
        }

        var reply = new JsonObject
        {
            ["emulated"] = true,
            ["provider"] = call.Protocol,
            ["model"] = call.Model,
            ["messages"] = call.MessageCount,
        };
        return reply.ToJsonString();
    }

    private static ToolDefinition? PickTool(ChatCall call, string? named)
    {
        if (named is not null && call.Tools.FirstOrDefault(t => t.Name == named) is { } byName)
        {
            return byName;
        }

        return call.AllowedTools.Count == 0
            ? (call.Tools.Count > 0 ? call.Tools[0] : null)
            : call.Tools.FirstOrDefault(t => call.AllowedTools.Contains(t.Name, StringComparer.Ordinal));
    }

    private static string Quote(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Replace('"', '\'').Trim();
        return flat.Length <= QuoteLength ? flat : flat[..QuoteLength] + "...";
    }
}
