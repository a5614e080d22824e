using System.Text.Json.Nodes;

namespace Switchboard.Emulator;

/// <summary>The parts of an OpenAI Responses request the reply depends on beyond <see cref="ChatCall"/>'s common ones.</summary>
internal sealed class ResponsesCallInfo
{
    /// <summary><c>reasoning.effort</c> when the request asks for reasoning (anything but <c>none</c>).</summary>
    public string? ReasoningEffort { get; init; }

    /// <summary><c>reasoning.summary</c> (<c>auto</c>, <c>concise</c>, <c>detailed</c>): the reasoning item gets a summary.</summary>
    public string? ReasoningSummary { get; init; }

    /// <summary><c>include</c> holds <c>reasoning.encrypted_content</c>: reasoning items carry a sealed blob.</summary>
    public bool IncludeEncryptedReasoning { get; init; }

    /// <summary>A hosted <c>web_search</c> (or <c>web_search_preview</c>) tool is offered.</summary>
    public bool WebSearch { get; init; }

    /// <summary>Names of the offered <c>custom</c> tools (free-form input; calls come back as <c>custom_tool_call</c>).</summary>
    public IReadOnlySet<string> CustomTools { get; init; } = new HashSet<string>();

    /// <summary>Namespace of each offered function that was declared inside a <c>namespace</c> tool.</summary>
    public IReadOnlyDictionary<string, string> Namespaces { get; init; } = new Dictionary<string, string>();

    public string? PromptCacheKey { get; init; }

    public bool Store { get; init; } = true;

    /// <summary>The request's settings echoed in the response object.</summary>
    public JsonObject Echo { get; init; } = [];
}
