using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.Responses;

/// <summary>Maps Responses <c>input</c> (a string or items) to canonical chat messages. Pure.</summary>
/// <remarks>
/// Messages, <c>function_call</c>/<c>_output</c> and <c>custom_tool_call</c>/<c>_output</c> are translated; a <c>compaction</c>
/// item this gateway made becomes a user message holding its summary (<see cref="ResponsesCompaction"/>); an
/// <c>item_reference</c> leaves a placeholder resolved against the caller's stored items once the caller is known
/// (<see cref="ResponsesItemReference"/>). <c>reasoning</c> items ride as sent on an empty <see cref="TextReasoningContent"/>
/// that only a native OpenAI upstream writes (encrypted reasoning is bound to the provider that issued it), and so do
/// hosted-tool call items (<c>web_search_call</c>, …) on an empty <see cref="AIContent"/>; other servers' compaction items are
/// dropped.
/// </remarks>
internal static class ResponsesEdgeInputMapper
{
    private static readonly EdgeScope Input = new EdgeScope(EdgeErrorStyle.OpenAI, null).At("input");

    public static void AddInput(List<ChatMessage> messages, JsonElement input, ResponsesToolMap tools)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            messages.Add(new ChatMessage(ChatRole.User, input.GetString()));
            return;
        }

        new EdgeScope(EdgeErrorStyle.OpenAI, null).Expect(input, "input", EdgeJsonType.Array);
        var i = 0;
        foreach (var item in input.EnumerateArray())
        {
            var scope = Input.At(i++);
            scope.Self(item, EdgeJsonType.Object);
            AddItem(messages, item, scope, tools, i - 1);
        }
    }

    private static void AddItem(List<ChatMessage> messages, JsonElement item, EdgeScope scope, ResponsesToolMap tools, int index)
    {
        var type = scope.String(item, "type") ?? "message";
        switch (type)
        {
            case "message":
                messages.Add(ToMessage(item, scope));
                break;
            case "function_call":
            {
                var name = scope.RequiredString(item, "name");
                var ns = scope.String(item, "namespace");
                var call = new FunctionCallContent(scope.RequiredString(item, "call_id"), tools.FlatName(name, ns),
                    EdgeJson.ArgumentsFromText(scope.String(item, "arguments"), scope));
                AssistantFor(messages).Contents.Add(KeepItem(call, item));
                break;
            }

            case "custom_tool_call":
            {
                var name = scope.RequiredString(item, "name");
                var call = new FunctionCallContent(scope.RequiredString(item, "call_id"), tools.FlatName(name, scope.String(item, "namespace")),
                    new Dictionary<string, object?> { ["input"] = scope.String(item, "input") ?? "" });
                AssistantFor(messages).Contents.Add(KeepItem(call, item));
                break;
            }

            case "function_call_output" or "custom_tool_call_output":
            {
                var callId = scope.RequiredString(item, "call_id");
                var output = OutputText(scope.Require(item, "output"), scope.At("output"));
                messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(callId, output)]));
                break;
            }

            case "reasoning":
                // Kept as sent for a native OpenAI upstream only; the other providers' writers skip reasoning they cannot verify.
                AssistantFor(messages).Contents.Add(KeepItem(new TextReasoningContent(null), item));
                break;

            case "item_reference":
                messages.Add(new ResponsesItemReference(scope.RequiredString(item, "id"), scope.PathOf("id"), index).ToPlaceholder());
                break;
            case "compaction":
                if (ResponsesCompaction.TryDecode(scope.String(item, "encrypted_content"), out var summary))
                {
                    messages.Add(ResponsesCompaction.SummaryMessage(summary));
                }

                break; // another server's compaction cannot be read here
            case not null when type.EndsWith("_call", StringComparison.Ordinal):
                // A hosted tool's call (web_search_call, file_search_call, …) ran on OpenAI's servers: kept as sent for a native
                // OpenAI upstream (which refuses a reasoning item sent without the item it led to); other writers skip it.
                AssistantFor(messages).Contents.Add(KeepItem(new AIContent(), item));
                break;
            default:
                // Newer item types.
                break;
        }
    }

    /// <summary>
    /// Puts the item as sent on the content it became, so a native OpenAI upstream gets it back byte for byte (a call with its
    /// namespace, id and kind; reasoning with its encrypted content). Stored turns replayed by <c>previous_response_id</c> come
    /// through here too.
    /// </summary>
    private static T KeepItem<T>(T content, JsonElement item)
        where T : AIContent
    {
        (content.AdditionalProperties ??= [])[Switchboard.Chat.PassThroughKeys.OpenAIResponsesItem] = item.Clone();
        return content;
    }

    /// <summary>The assistant message a tool call belongs to: the last message when it is the assistant's, else a new one.</summary>
    private static ChatMessage AssistantFor(List<ChatMessage> messages)
    {
        if (messages.Count > 0 && messages[^1].Role == ChatRole.Assistant)
        {
            return messages[^1];
        }

        var message = new ChatMessage { Role = ChatRole.Assistant };
        messages.Add(message);
        return message;
    }

    private static ChatMessage ToMessage(JsonElement item, EdgeScope scope)
    {
        var roleText = scope.RequiredString(item, "role");
        var role = roleText switch
        {
            "system" or "developer" => ChatRole.System,
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            _ => throw scope.Invalid("role", $"value must be one of 'user', 'system', 'developer' or 'assistant', but got '{roleText}' instead."),
        };

        var message = new ChatMessage { Role = role };
        if (scope.String(item, "phase") is { } phase)
        {
            (message.AdditionalProperties ??= [])["phase"] = phase;
        }

        var content = scope.Require(item, "content");
        if (content.ValueKind == JsonValueKind.String)
        {
            message.Contents.Add(new TextContent(content.GetString()));
            return message;
        }

        scope.Expect(content, "content", EdgeJsonType.Array);
        var parts = scope.At("content");
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partScope = parts.At(i++);
            partScope.Self(part, EdgeJsonType.Object);
            message.Contents.Add(ToPart(part, partScope));
        }

        return message;
    }

    private static AIContent ToPart(JsonElement part, EdgeScope scope)
    {
        var type = scope.RequiredString(part, "type");
        switch (type)
        {
            case "input_text" or "output_text" or "text":
                return new TextContent(scope.RequiredString(part, "text"));
            case "refusal":
                return new TextContent(scope.RequiredString(part, "refusal"));
            case "input_image":
            {
                if (scope.String(part, "file_id") is not null && scope.String(part, "image_url") is null)
                {
                    throw scope.Invalid("file_id", "file ids need OpenAI's file storage; send the image as image_url (a data: URI or an http(s) URL).");
                }

                var url = scope.RequiredString(part, "image_url");
                var image = EdgeJson.ToContent(url, "image/*") ?? throw scope.Invalid("image_url", "expected a data: URI or an http(s) URL.");
                if (scope.String(part, "detail") is { } detail)
                {
                    (image.AdditionalProperties ??= [])["detail"] = detail;
                }

                return image;
            }

            case "input_file":
            {
                if (scope.String(part, "file_data") is { } data)
                {
                    var file = EdgeJson.ToContent(data, "application/octet-stream") as DataContent
                        ?? throw scope.Invalid("file_data", "expected a data: URI (data:MEDIA_TYPE;base64,...).");
                    file.Name = scope.String(part, "filename");
                    return file;
                }

                if (scope.String(part, "file_url") is { } fileUrl)
                {
                    return EdgeJson.ToContent(fileUrl, "application/octet-stream") ?? throw scope.Invalid("file_url", "expected an http(s) URL.");
                }

                throw scope.Invalid("file_id", "file ids need OpenAI's file storage; send the file inline as file_data (a data: URI) or as file_url.");
            }

            default:
                throw scope.Invalid("type", $"unsupported content part type '{type}'. Expected 'input_text', 'input_image', 'input_file', 'output_text' or 'refusal'.");
        }
    }

    /// <summary>A tool output as text: a string, or its text parts joined (images and files in tool output are described, not sent).</summary>
    private static string OutputText(JsonElement output, EdgeScope scope)
    {
        if (output.ValueKind == JsonValueKind.String)
        {
            return output.GetString()!;
        }

        if (output.ValueKind != JsonValueKind.Array)
        {
            throw EdgeErrorStyle.OpenAI.WrongType(scope.Path!, EdgeJsonType.String, output);
        }

        var builder = new StringBuilder();
        var i = 0;
        foreach (var part in output.EnumerateArray())
        {
            var partScope = scope.At(i++);
            partScope.Self(part, EdgeJsonType.Object);
            switch (partScope.RequiredString(part, "type"))
            {
                case "input_text" or "output_text" or "text":
                    builder.Append(partScope.RequiredString(part, "text"));
                    break;
                case var other:
                    builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"[{other} omitted]");
                    break;
            }
        }

        return builder.ToString();
    }
}
