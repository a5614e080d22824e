using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Caching;

/// <summary>
/// The response cache key: SHA-256 over a canonical JSON form of everything that changes a model's answer
/// (format version, requested route or model, every message, every output-affecting option, pass-through provider
/// properties) and the tenant or shared namespace. Pure: no I/O, no clock.
/// </summary>
/// <remarks>
/// Left out on purpose: the request's <see cref="Switchboard.Chat.SwitchboardContext"/> (request id, caller, routing
/// hints), message ids, author-less metadata. JSON objects (schemas, function
/// arguments, pass-through values) are canonicalized: property order does not change the key.
/// A request the key cannot represent faithfully (server-side conversation state, a raw request factory, hosted
/// tools, unknown content or property types) has no key and bypasses the cache.
/// </remarks>
public static class ResponseCacheKey
{
    /// <summary>Bump when the canonical form or the stored entry changes: old entries are then simply never found.</summary>
    public const int FormatVersion = 1;

    /// <summary>Prefix of every key (before the hex digest).</summary>
    public const string Prefix = "resp:v1:";

    /// <summary>The key for this request, or null when the request cannot be cached.</summary>
    public static string? Compute(IEnumerable<ChatMessage> messages, ChatOptions? options, string? tenant, string? sharedNamespace = null) =>
        TryCompute(messages, options, tenant, sharedNamespace, out var key) ? key : null;

    /// <summary>Computes the key; false when the request contains something the key cannot represent.</summary>
    public static bool TryCompute(IEnumerable<ChatMessage> messages, ChatOptions? options, string? tenant, string? sharedNamespace,
        [NotNullWhen(true)] out string? key)
    {
        key = null;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", FormatVersion);
            writer.WriteString("model", options?.ModelId);
            if (!WriteMessages(writer, messages) || !CacheKeyOptionsWriter.Write(writer, options))
            {
                return false;
            }

            if (!string.IsNullOrEmpty(sharedNamespace))
            {
                writer.WriteString("namespace", sharedNamespace);
            }
            else
            {
                writer.WriteString("tenant", tenant);
            }

            writer.WriteEndObject();
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        key = Prefix + Convert.ToHexStringLower(hash);
        return true;
    }

    private static bool WriteMessages(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages)
    {
        writer.WriteStartArray("messages");
        foreach (var message in messages)
        {
            writer.WriteStartObject();
            writer.WriteString("role", message.Role.Value);
            writer.WriteString("author", message.AuthorName);
            writer.WriteStartArray("contents");
            foreach (var content in message.Contents)
            {
                if (!WriteContent(writer, content))
                {
                    return false;
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        return true;
    }

    private static bool WriteContent(Utf8JsonWriter writer, AIContent content)
    {
        switch (content)
        {
            case UsageContent:
                return true; // accounting, not input
            case TextContent text:
                writer.WriteStartObject();
                writer.WriteString("text", text.Text);
                break;
            case TextReasoningContent reasoning:
                writer.WriteStartObject();
                writer.WriteString("reasoning", reasoning.Text);
                writer.WriteString("protected", reasoning.ProtectedData);
                break;
            case DataContent data:
                writer.WriteStartObject();
                writer.WriteString("media", data.MediaType);
                writer.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(data.Data.Span)));
                break;
            case UriContent uri:
                writer.WriteStartObject();
                writer.WriteString("uri", uri.Uri.OriginalString);
                writer.WriteString("media", uri.MediaType);
                break;
            case HostedFileContent file:
                writer.WriteStartObject();
                writer.WriteString("file", file.FileId);
                break;
            case FunctionCallContent call:
                writer.WriteStartObject();
                writer.WriteString("call", call.CallId);
                writer.WriteString("name", call.Name);
                writer.WriteStartObject("arguments");
                foreach (var (name, value) in (call.Arguments ?? new Dictionary<string, object?>()).OrderBy(static a => a.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(name);
                    if (!CanonicalJson.TryWriteAny(writer, value))
                    {
                        return false;
                    }
                }

                writer.WriteEndObject();
                break;
            case FunctionResultContent result:
                writer.WriteStartObject();
                writer.WriteString("result", result.CallId);
                writer.WritePropertyName("value");
                if (!CanonicalJson.TryWriteAny(writer, result.Result))
                {
                    return false;
                }

                writer.WriteString("error", result.Exception?.Message);
                break;
            default:
                return false;
        }

        writer.WriteEndObject();
        return true;
    }
}
