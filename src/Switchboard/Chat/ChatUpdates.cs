using Microsoft.Extensions.AI;

namespace Switchboard.Chat;

/// <summary>What counts as a stream's content: the first such update ends the time-to-first-token wait.</summary>
internal static class ChatUpdates
{
    /// <summary>Text, reasoning, a tool call, data, or the finish: anything but an empty role or usage-only update.</summary>
    public static bool HasContent(ChatResponseUpdate update)
    {
        foreach (var content in update.Contents)
        {
            if (content is TextContent { Text.Length: > 0 } or FunctionCallContent or TextReasoningContent { Text.Length: > 0 } or DataContent)
            {
                return true;
            }
        }

        return update.FinishReason is not null;
    }
}
