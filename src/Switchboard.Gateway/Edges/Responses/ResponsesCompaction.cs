using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.Responses;

/// <summary>
/// <c>POST /v1/responses/compact</c> as pure pieces: the summary turn's messages, the <c>compaction</c> item's content (the
/// summary in a form this gateway reads back when the item comes back in an input), and the compacted response object.
/// </summary>
/// <remarks>
/// OpenAI's compaction item carries <c>encrypted_content</c> only its servers can read. Switchboard's carries the summary
/// itself, base64url-encoded after a version prefix: not a secret (it is the caller's own conversation, summarised), just
/// opaque enough that clients pass it back untouched. A compaction item another server made cannot be read and is dropped,
/// like foreign reasoning.
/// </remarks>
internal static class ResponsesCompaction
{
    /// <summary>What the summary turn asks of the model, after the conversation.</summary>
    public const string SummaryInstruction =
        "Compact the conversation above so it can continue in a fresh context. Write a concise summary that keeps everything " +
        "needed to carry on: the user's goals and requests, decisions made, the work done so far (tool calls and what they " +
        "returned), open questions and the next steps. Keep names, file paths, identifiers and numbers exactly. Answer with the summary only.";

    private const string Prefix = "sbcmp1.";

    /// <summary>The compaction item's <c>encrypted_content</c> for <paramref name="summary"/>.</summary>
    public static string Encode(string summary) => Prefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(summary));

    /// <summary>The summary in a compaction item this gateway made; false for another server's (or a damaged) one.</summary>
    public static bool TryDecode(string? content, out string summary)
    {
        summary = "";
        if (content is null || !content.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var encoded = content.AsSpan(Prefix.Length);
        var bytes = new byte[Base64Url.GetMaxDecodedLength(encoded.Length)];
        if (Base64Url.DecodeFromChars(encoded, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done || consumed != encoded.Length)
        {
            return false;
        }

        summary = Encoding.UTF8.GetString(bytes, 0, written);
        return true;
    }

    /// <summary>How a compaction item reaches a provider: a user message holding the summary.</summary>
    public static ChatMessage SummaryMessage(string summary) =>
        new(ChatRole.User, "Summary of the earlier conversation (compacted):\n" + summary);

    /// <summary>
    /// Makes <paramref name="messages"/> (instructions, then the conversation) the summary turn: tool calls and results become
    /// text (no tools are declared, and some providers refuse calls to undeclared tools), then the summary request is appended.
    /// </summary>
    public static void ToSummaryTurn(List<ChatMessage> messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (!message.Contents.Any(c => c is FunctionCallContent or FunctionResultContent))
            {
                continue;
            }

            var flat = new ChatMessage { Role = message.Role == ChatRole.Tool ? ChatRole.User : message.Role };
            foreach (var content in message.Contents)
            {
                flat.Contents.Add(content switch
                {
                    FunctionCallContent call => new TextContent(string.Create(CultureInfo.InvariantCulture,
                        $"[called tool {call.Name} with {Encoding.UTF8.GetString(EdgeJsonWriter.Build(call.Arguments, static (w, a) => EdgeJsonWriter.WriteArguments(w, a)))}]")),
                    FunctionResultContent result => new TextContent(string.Create(CultureInfo.InvariantCulture, $"[tool {result.CallId} returned] {result.Result}")),
                    _ => content,
                });
            }

            messages[i] = flat;
        }

        messages.Add(new ChatMessage(ChatRole.User, SummaryInstruction));
    }

    /// <summary>
    /// The compacted response: <c>{"id","object":"response.compaction","created_at","output","usage"}</c>, its output the
    /// user messages of <paramref name="inputItems"/> (the stored-item form, with ids) followed by one <c>compaction</c> item.
    /// </summary>
    public static byte[] Write(string id, long created, string inputItems, string summary, UsageDetails? usage)
    {
        using var items = JsonDocument.Parse(inputItems);
        return EdgeJsonWriter.Build((id, created, items: items.RootElement, summary, usage), static (w, s) =>
        {
            w.WriteStartObject();
            w.WriteString("id", s.id);
            w.WriteString("object", "response.compaction");
            w.WriteNumber("created_at", s.created);
            w.WriteStartArray("output");
            foreach (var item in s.items.EnumerateArray())
            {
                if (item.TryGetProperty("type", out var type) && type.ValueEquals("message") &&
                    item.TryGetProperty("role", out var role) && role.ValueEquals("user"))
                {
                    item.WriteTo(w);
                }
            }

            w.WriteStartObject();
            w.WriteString("id", "cmp_" + s.id["resp_".Length..]);
            w.WriteString("type", "compaction");
            w.WriteString("encrypted_content", Encode(s.summary));
            w.WriteEndObject();
            w.WriteEndArray();
            ResponsesEdgeWire.WriteUsage(w, s.usage);
            w.WriteEndObject();
        });
    }
}
