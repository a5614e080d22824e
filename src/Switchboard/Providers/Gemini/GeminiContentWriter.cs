using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Providers.Gemini;

/// <summary>Writes <c>systemInstruction</c> and <c>contents</c> from the canonical messages. Pure.</summary>
internal static class GeminiContentWriter
{
    /// <summary>
    /// Writes system text (instructions first, then every system message) as <c>systemInstruction</c>, and the other messages
    /// as <c>contents</c>: assistant → <c>model</c>, everything else → <c>user</c>, function results always in a <c>user</c> turn,
    /// consecutive turns of the same role merged.
    /// </summary>
    public static void Write(Utf8JsonWriter w, IEnumerable<ChatMessage> messages, string? instructions, string provider)
    {
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        WriteSystem(w, list, instructions);

        var callNames = new Dictionary<string, string>(StringComparer.Ordinal);
        string? openRole = null;
        w.WriteStartArray("contents");
        foreach (var message in list)
        {
            if (message.Role == ChatRole.System)
            {
                continue;
            }

            var messageRole = message.Role == ChatRole.Assistant ? "model" : "user";
            foreach (var content in message.Contents)
            {
                var role = content is FunctionResultContent ? "user" : messageRole;
                if (!IsWritten(content))
                {
                    continue;
                }

                if (role != openRole)
                {
                    if (openRole is not null)
                    {
                        EndTurn(w);
                    }

                    w.WriteStartObject();
                    w.WriteString("role", role);
                    w.WriteStartArray("parts");
                    openRole = role;
                }

                WritePart(w, content, callNames, provider);
            }
        }

        if (openRole is not null)
        {
            EndTurn(w);
        }

        w.WriteEndArray();
    }

    private static void WriteSystem(Utf8JsonWriter w, IReadOnlyList<ChatMessage> messages, string? instructions)
    {
        var texts = new List<string>();
        if (!string.IsNullOrEmpty(instructions))
        {
            texts.Add(instructions);
        }

        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System && !string.IsNullOrEmpty(message.Text))
            {
                texts.Add(message.Text);
            }
        }

        if (texts.Count == 0)
        {
            return;
        }

        w.WriteStartObject("systemInstruction");
        w.WriteStartArray("parts");
        foreach (var text in texts)
        {
            w.WriteStartObject();
            w.WriteString("text", text);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    // Reasoning text is not sent back (Gemini wants only signatures); other content has no Gemini form.
    private static bool IsWritten(AIContent content) => content switch
    {
        TextContent text => text.Text.Length > 0 || Signature(text) is not null,
        DataContent or UriContent or FunctionCallContent or FunctionResultContent => true,
        _ => false,
    };

    private static void WritePart(Utf8JsonWriter w, AIContent content, Dictionary<string, string> callNames, string provider)
    {
        w.WriteStartObject();
        switch (content)
        {
            case TextContent text:
                w.WriteString("text", text.Text);
                break;
            case DataContent data:
                w.WriteStartObject("inlineData");
                w.WriteString("mimeType", data.MediaType);
                w.WriteString("data", data.Base64Data.Span);
                w.WriteEndObject();
                break;
            case UriContent uri:
                w.WriteStartObject("fileData");
                w.WriteString("mimeType", uri.MediaType);
                w.WriteString("fileUri", uri.Uri.OriginalString);
                w.WriteEndObject();
                break;
            case FunctionCallContent call:
                callNames[call.CallId] = call.Name;
                w.WriteStartObject("functionCall");
                w.WriteString("name", call.Name);
                w.WritePropertyName("args");
                WriteArguments(w, call.Arguments);
                WriteId(w, call.CallId);
                w.WriteEndObject();
                break;
            case FunctionResultContent result:
                // Gemini correlates a response with its call by name, so the name comes from the call earlier in the history.
                if (!callNames.TryGetValue(result.CallId, out var name))
                {
                    throw new ProviderException(ProviderErrorKind.InvalidRequest,
                        $"The function result '{result.CallId}' has no matching function call earlier in the conversation; {provider} needs the function's name.",
                        provider);
                }

                w.WriteStartObject("functionResponse");
                w.WriteString("name", name);
                w.WritePropertyName("response");
                WriteResult(w, result);
                WriteId(w, result.CallId);
                w.WriteEndObject();
                break;
        }

        if (Signature(content) is { } signature)
        {
            w.WriteString(GeminiResponseMapper.ThoughtSignatureKey, signature);
        }

        w.WriteEndObject();
    }

    private static void EndTurn(Utf8JsonWriter w)
    {
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string? Signature(AIContent content) =>
        content.AdditionalProperties?.TryGetValue(GeminiResponseMapper.ThoughtSignatureKey, out var value) == true ? value as string : null;

    // Ids Gemini sent are echoed; ids the adapter made up (call_N) are not Gemini's, so they stay local.
    private static void WriteId(Utf8JsonWriter w, string callId)
    {
        if (!string.IsNullOrEmpty(callId) && !IsGeneratedId(callId))
        {
            w.WriteString("id", callId);
        }
    }

    private static bool IsGeneratedId(string callId) =>
        callId.StartsWith(GeminiResponseMapper.GeneratedCallIdPrefix, StringComparison.Ordinal) &&
        callId.Length > GeminiResponseMapper.GeneratedCallIdPrefix.Length &&
        !callId.AsSpan(GeminiResponseMapper.GeneratedCallIdPrefix.Length).ContainsAnyExceptInRange('0', '9');

    private static void WriteArguments(Utf8JsonWriter w, IDictionary<string, object?>? arguments)
    {
        w.WriteStartObject();
        foreach (var (key, value) in arguments ?? new Dictionary<string, object?>())
        {
            w.WritePropertyName(key);
            WriteValue(w, value);
        }

        w.WriteEndObject();
    }

    // functionResponse.response must be an object: objects go as they are, anything else as {"result": value},
    // and a failed call as {"error": message}.
    private static void WriteResult(Utf8JsonWriter w, FunctionResultContent result)
    {
        var value = result.Result is JsonElement element ? element : ToElement(result.Result);
        if (result.Exception is null && value.ValueKind == JsonValueKind.Object)
        {
            value.WriteTo(w);
            return;
        }

        w.WriteStartObject();
        w.WritePropertyName(result.Exception is null ? "result" : "error");
        if (result.Exception is not null && value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            w.WriteStringValue(result.Exception.Message);
        }
        else
        {
            value.WriteTo(w);
        }

        w.WriteEndObject();
    }

    private static JsonElement ToElement(object? value) => value switch
    {
        null => JsonSerializer.SerializeToElement((object?)null, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(object))),
        _ => JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())),
    };

    private static void WriteValue(Utf8JsonWriter w, object? value)
    {
        if (value is JsonElement element)
        {
            element.WriteTo(w);
        }
        else
        {
            ToElement(value).WriteTo(w);
        }
    }
}
