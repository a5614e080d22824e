using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Gateway.Edges.Anthropic;

/// <summary>Maps Anthropic <c>system</c> and <c>messages</c> to canonical chat messages. Pure.</summary>
internal static class AnthropicEdgeMessageMapper
{
    /// <summary>Key of a <see cref="FunctionResultContent"/>'s additional properties set to true for <c>is_error</c> results.</summary>
    public const string IsErrorKey = "is_error";

    private static readonly EdgeScope Top = new(EdgeErrorStyle.Anthropic, null);

    public static ChatMessage ToSystemMessage(JsonElement system) => ToSystemMessage(system, Top, "system");

    // Top-level `system`, or the content of a `role: "system"` message inside `messages` (Claude Code sends one with some betas).
    private static ChatMessage ToSystemMessage(JsonElement system, EdgeScope parent, string name)
    {
        var message = new ChatMessage { Role = ChatRole.System };
        if (system.ValueKind == JsonValueKind.String)
        {
            message.Contents.Add(new TextContent(system.GetString()));
            return message;
        }

        parent.Expect(system, name, EdgeJsonType.Array);
        var scope = parent.At(name);
        var i = 0;
        foreach (var block in system.EnumerateArray())
        {
            var blockScope = scope.At(i++);
            blockScope.Self(block, EdgeJsonType.Object);
            if (blockScope.RequiredString(block, "type") != "text")
            {
                throw blockScope.Invalid("type", "system blocks must be of type 'text'");
            }

            message.Contents.Add(Mark(new TextContent(blockScope.RequiredString(block, "text")), block));
        }

        return message;
    }

    public static void AddMessages(List<ChatMessage> messages, JsonElement array)
    {
        var scope = Top.At("messages");
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var messageScope = scope.At(i++);
            messageScope.Self(item, EdgeJsonType.Object);
            var roleText = messageScope.RequiredString(item, "role");
            var role = roleText switch
            {
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                "system" => ChatRole.System,
                _ => throw messageScope.Invalid("role", $"Input should be 'user', 'assistant' or 'system'"),
            };
            if (role == ChatRole.System)
            {
                messages.Add(ToSystemMessage(messageScope.Require(item, "content"), messageScope, "content"));
                continue;
            }

            var message = new ChatMessage { Role = role };
            var content = messageScope.Require(item, "content");
            if (content.ValueKind == JsonValueKind.String)
            {
                message.Contents.Add(new TextContent(content.GetString()));
            }
            else
            {
                messageScope.Expect(content, "content", EdgeJsonType.Array);
                var blocks = messageScope.At("content");
                var b = 0;
                foreach (var block in content.EnumerateArray())
                {
                    AddContent(message.Contents, block, blocks.At(b++));
                }
            }

            messages.Add(message);
        }
    }

    // A block's `cache_control` (and any field not read here) is accepted and not carried over: caching marks have no canonical form.
    private static void AddContent(IList<AIContent> contents, JsonElement block, EdgeScope scope)
    {
        scope.Self(block, EdgeJsonType.Object);
        var type = scope.RequiredString(block, "type");
        switch (type)
        {
            case "text":
                contents.Add(Mark(new TextContent(scope.RequiredString(block, "text")), block));
                break;
            case "image":
            case "document":
                contents.Add(Mark(ToMedia(block, scope, type == "image" ? "image/*" : "application/pdf"), block));
                break;
            case "tool_use":
                var input = scope.Object(block, "input");
                contents.Add(Mark(new FunctionCallContent(scope.RequiredString(block, "id"), scope.RequiredString(block, "name"),
                    input is { } i ? EdgeJson.ToArguments(i) : []), block));
                break;
            case "tool_result":
                AddToolResult(contents, block, scope);
                break;
            case "thinking":
                contents.Add(new TextReasoningContent(scope.RequiredString(block, "thinking")) { ProtectedData = scope.String(block, "signature") });
                break;
            case "redacted_thinking":
                contents.Add(new TextReasoningContent(string.Empty) { ProtectedData = scope.RequiredString(block, "data") });
                break;
            default:
                throw scope.Invalid("type", $"Input tag '{type}' found using 'type' does not match any of the expected tags: 'text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'");
        }
    }

    // The result's text (text and tool_reference blocks) becomes the FunctionResultContent; its images and documents follow
    // it in the same message, marked with its call id (PassThroughKeys.ToolResultCallId).
    private static void AddToolResult(IList<AIContent> contents, JsonElement block, EdgeScope scope)
    {
        var callId = scope.RequiredString(block, "tool_use_id");
        var media = new List<AIContent>();
        var result = new FunctionResultContent(callId, ResultText(block, scope, media, out var innerMark));
        if (scope.Boolean(block, "is_error") == true)
        {
            (result.AdditionalProperties ??= [])[IsErrorKey] = true;
        }

        // A mark on the result, or on one of its text blocks (which became the result's text), marks the result.
        Mark(result, block);
        if (innerMark is { } mark && result.AdditionalProperties?.ContainsKey(PassThroughKeys.AnthropicCacheControl) != true)
        {
            (result.AdditionalProperties ??= [])[PassThroughKeys.AnthropicCacheControl] = mark;
        }

        contents.Add(result);
        foreach (var item in media)
        {
            (item.AdditionalProperties ??= [])[PassThroughKeys.ToolResultCallId] = callId;
            contents.Add(item);
        }
    }

    private static AIContent ToMedia(JsonElement block, EdgeScope scope, string defaultMediaType)
    {
        var source = scope.Expect(scope.Require(block, "source"), "source", EdgeJsonType.Object);
        var sourceScope = scope.At("source");
        var sourceType = sourceScope.RequiredString(source, "type");
        switch (sourceType)
        {
            case "base64":
                var mediaType = sourceScope.RequiredString(source, "media_type");
                var data = sourceScope.RequiredString(source, "data");
                try
                {
                    return new DataContent(Convert.FromBase64String(data), mediaType);
                }
                catch (FormatException)
                {
                    throw sourceScope.Invalid("data", "Input should be valid base64");
                }
                catch (ArgumentException)
                {
                    throw sourceScope.Invalid("media_type", "Input should be a valid media type");
                }

            case "url":
                return EdgeJson.ToContent(sourceScope.RequiredString(source, "url"), defaultMediaType) is UriContent uri
                    ? uri
                    : throw sourceScope.Invalid("url", "Input should be an http(s) URL");
            case "text" when defaultMediaType == "application/pdf":
                // A plain-text document: its text is the content.
                return new TextContent(sourceScope.RequiredString(source, "data"));
            default:
                throw sourceScope.Invalid("type", $"Input tag '{sourceType}' found using 'type' does not match any of the expected tags: 'base64', 'url'");
        }
    }

    /// <summary>A tool result's content as text: a string, or its text blocks joined (tool references by name); images and
    /// documents go to <paramref name="media"/>.</summary>
    private static string ResultText(JsonElement block, EdgeScope scope, List<AIContent> media, out JsonElement? textMark)
    {
        textMark = null;
        if (!EdgeScope.TryGet(block, "content", out var content))
        {
            return string.Empty;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        scope.Expect(content, "content", EdgeJsonType.Array);
        var parts = scope.At("content");
        var builder = new System.Text.StringBuilder();
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partScope = parts.At(i++);
            partScope.Self(part, EdgeJsonType.Object);
            var type = partScope.RequiredString(part, "type");
            if (type is "text" or "tool_reference" && CacheControlOf(part) is { } mark)
            {
                textMark = mark;
            }

            switch (type)
            {
                case "text":
                    builder.Append(partScope.RequiredString(part, "text"));
                    break;
                case "tool_reference":
                    AppendLine(builder, "Tool reference: " + partScope.RequiredString(part, "tool_name"));
                    break;
                case "image" or "document":
                    var item = ToMedia(part, partScope, type == "image" ? "image/*" : "application/pdf");
                    if (item is TextContent text)
                    {
                        AppendLine(builder, text.Text);
                    }
                    else
                    {
                        media.Add(Mark(item, part));
                    }

                    break;
                default:
                    throw partScope.Invalid("type",
                        $"Input tag '{type}' found using 'type' does not match any of the expected tags: 'text', 'image', 'document', 'tool_reference'");
            }
        }

        return builder.ToString();
    }

    private static JsonElement? CacheControlOf(JsonElement block) =>
        block.TryGetProperty("cache_control", out var mark) && mark.ValueKind == JsonValueKind.Object ? mark.Clone() : null;

    // Keeps a block's cache_control for an Anthropic upstream (PassThroughKeys.AnthropicCacheControl); other providers ignore it.
    private static AIContent Mark(AIContent content, JsonElement block)
    {
        if (CacheControlOf(block) is { } mark)
        {
            (content.AdditionalProperties ??= [])[PassThroughKeys.AnthropicCacheControl] = mark;
        }

        return content;
    }

    private static void AppendLine(System.Text.StringBuilder builder, string text)
    {
        if (builder.Length > 0 && text.Length > 0)
        {
            builder.Append('\n');
        }

        builder.Append(text);
    }
}
