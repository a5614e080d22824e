using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.Gemini;

/// <summary>Maps Gemini <c>contents</c> and <c>systemInstruction</c> to canonical chat messages. Pure; one instance per request.</summary>
/// <remarks>
/// Gemini function calls usually carry no id: a call without one gets a generated id, and a <c>functionResponse</c> without
/// one answers the oldest unanswered call of its name (Gemini's own rule: by name and order).
/// </remarks>
internal sealed class GeminiEdgeContentMapper
{
    /// <summary>Key of <see cref="AIContent.AdditionalProperties"/> holding a part's <c>thoughtSignature</c> (what the Gemini adapter echoes).</summary>
    public const string ThoughtSignatureKey = "thoughtSignature";

    private readonly Dictionary<string, Queue<string>> _pending = new(StringComparer.Ordinal);
    private int _generated;

    public ChatMessage ToSystemMessage(JsonElement value, EdgeScope parent, string name)
    {
        var message = new ChatMessage { Role = ChatRole.System };
        if (value.ValueKind == JsonValueKind.String)
        {
            message.Contents.Add(new TextContent(value.GetString()));
            return message;
        }

        parent.Expect(value, name, EdgeJsonType.Object);
        var scope = parent.At(name);
        var parts = scope.Expect(scope.Require(value, "parts"), "parts", EdgeJsonType.Array);
        var i = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var partScope = scope.At("parts").At(i++);
            partScope.Self(part, EdgeJsonType.Object);
            message.Contents.Add(new TextContent(partScope.RequiredString(part, "text")));
        }

        return message;
    }

    public void AddContents(List<ChatMessage> messages, JsonElement array, EdgeScope parent)
    {
        var scope = parent.At("contents");
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemScope = scope.At(i++);
            itemScope.Self(item, EdgeJsonType.Object);
            var role = itemScope.String(item, "role") switch
            {
                null or "user" or "function" => ChatRole.User,
                "model" => ChatRole.Assistant,
                var other => throw itemScope.Invalid("role", $"must be 'user' or 'model', but got '{other}' instead."),
            };
            var message = new ChatMessage { Role = role };
            var parts = itemScope.Expect(itemScope.Require(item, "parts"), "parts", EdgeJsonType.Array);
            var p = 0;
            foreach (var part in parts.EnumerateArray())
            {
                if (ToContent(part, itemScope.At("parts").At(p++)) is { } content)
                {
                    message.Contents.Add(content);
                }
            }

            messages.Add(message);
        }
    }

    private AIContent? ToContent(JsonElement part, EdgeScope scope)
    {
        scope.Self(part, EdgeJsonType.Object);
        var signature = scope.String(part, "thoughtSignature");
        AIContent? content;
        if (EdgeScope.TryGet(part, "text", out _))
        {
            var text = scope.RequiredString(part, "text");
            content = scope.Boolean(part, "thought") == true
                ? new TextReasoningContent(text) { ProtectedData = signature }
                : new TextContent(text);
        }
        else if (scope.Object(part, "inlineData") is { } inline)
        {
            var inlineScope = scope.At("inlineData");
            var mimeType = inlineScope.RequiredString(inline, "mimeType");
            try
            {
                content = new DataContent(Convert.FromBase64String(inlineScope.RequiredString(inline, "data")), mimeType);
            }
            catch (FormatException)
            {
                throw inlineScope.Invalid("data", "must be base64.");
            }
            catch (ArgumentException)
            {
                throw inlineScope.Invalid("mimeType", "must be a media type such as image/png.");
            }
        }
        else if (scope.Object(part, "fileData") is { } file)
        {
            var fileScope = scope.At("fileData");
            var uri = fileScope.RequiredString(file, "fileUri");
            content = Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
                ? new UriContent(parsed, fileScope.String(file, "mimeType") ?? "application/octet-stream")
                : throw fileScope.Invalid("fileUri", "must be an absolute URI.");
        }
        else if (scope.Object(part, "functionCall") is { } call)
        {
            var callScope = scope.At("functionCall");
            var name = callScope.RequiredString(call, "name");
            var id = callScope.String(call, "id") ?? $"call_{++_generated}_{name}";
            Pending(name).Enqueue(id);
            var args = callScope.Object(call, "args");
            content = new FunctionCallContent(id, name, args is { } a ? EdgeJson.ToArguments(a) : []);
        }
        else if (scope.Object(part, "functionResponse") is { } response)
        {
            var responseScope = scope.At("functionResponse");
            var name = responseScope.RequiredString(response, "name");
            var id = responseScope.String(response, "id");
            var queue = Pending(name);
            if (id is null)
            {
                id = queue.TryDequeue(out var oldest) ? oldest : $"call_{++_generated}_{name}";
            }
            else if (queue.Contains(id))
            {
                _pending[name] = new Queue<string>(queue.Where(q => q != id));
            }

            var result = responseScope.Object(response, "response");
            content = new FunctionResultContent(id, ResultText(result));
        }
        else if (signature is not null)
        {
            return null; // a signature alone: nothing to carry
        }
        else
        {
            throw scope.Invalid("data", "a part needs one of text, inlineData, fileData, functionCall or functionResponse.");
        }

        if (signature is not null && content is not TextReasoningContent)
        {
            (content.AdditionalProperties ??= [])[ThoughtSignatureKey] = signature;
        }

        return content;
    }

    // A function response's `response` object as the result text: `output` / `result` when it is the only member and a
    // string (what Gemini CLI and the SDKs send), else the object's JSON.
    private static string ResultText(JsonElement? response)
    {
        if (response is not { } value)
        {
            return string.Empty;
        }

        var members = value.EnumerateObject().ToList();
        if (members.Count == 1 && members[0].Name is "output" or "result" or "content" && members[0].Value.ValueKind == JsonValueKind.String)
        {
            return members[0].Value.GetString()!;
        }

        return value.GetRawText();
    }

    private Queue<string> Pending(string name)
    {
        if (!_pending.TryGetValue(name, out var queue))
        {
            _pending[name] = queue = new Queue<string>();
        }

        return queue;
    }
}
