namespace Switchboard.Chat;

/// <summary>
/// Keys an edge sets on canonical requests for what has no Microsoft.Extensions.AI type: fields of one protocol that only a
/// provider of that protocol may receive, and media that belonged inside a tool result.
/// </summary>
public static class PassThroughKeys
{
    /// <summary>
    /// Prefix of <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> keys holding a top-level Anthropic
    /// Messages field as sent (<c>switchboard.anthropic.thinking</c>): the Anthropic adapter writes them, the others ignore them.
    /// </summary>
    public const string AnthropicFieldPrefix = "switchboard.anthropic.";

    /// <summary>Key of <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> holding the client's
    /// <c>anthropic-beta</c> header as sent: only an Anthropic upstream receives it.</summary>
    public const string AnthropicBetaHeader = "switchboard.header.anthropic-beta";

    /// <summary>Key of <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> holding the client's
    /// <c>anthropic-version</c> header as sent: an Anthropic upstream receives it instead of the adapter's default.</summary>
    public const string AnthropicVersionHeader = "switchboard.header.anthropic-version";

    /// <summary>Key of an <see cref="Microsoft.Extensions.AI.AIContent"/>'s additional properties holding the block's Anthropic
    /// <c>cache_control</c> as sent (a JSON element): the Anthropic adapter writes it back, the others ignore it.</summary>
    public const string AnthropicCacheControl = "switchboard.anthropic.cache_control";

    /// <summary>Key of <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> holding the client's Gemini
    /// <c>generationConfig.thinkingConfig</c> as sent (a JSON element): a Gemini upstream receives it unchanged; the others get
    /// the canonical <see cref="Microsoft.Extensions.AI.ChatOptions.Reasoning"/> the edge derived from it.</summary>
    public const string GeminiThinkingConfig = "switchboard.gemini.thinkingConfig";

    /// <summary>
    /// Key of a <see cref="Microsoft.Extensions.AI.DataContent"/> / <see cref="Microsoft.Extensions.AI.UriContent"/>'s
    /// additional properties naming the call id of the tool result it was part of. The content follows that
    /// <see cref="Microsoft.Extensions.AI.FunctionResultContent"/> in the same message; a provider that can carry media in
    /// a tool result puts it back inside, the others send it as a user part after the results.
    /// </summary>
    public const string ToolResultCallId = "switchboard.tool_result_call_id";

    /// <summary>
    /// Key of <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> the Responses edge sets (to <c>true</c>): the
    /// client spoke the OpenAI Responses API, so an <c>openai</c> or <c>azure-openai</c> upstream is called on its own
    /// <c>/responses</c> with the fields under <see cref="OpenAIResponsesFieldPrefix"/>; other providers ignore it.
    /// </summary>
    public const string OpenAIResponses = "switchboard.openai.responses";

    /// <summary>
    /// Prefix of <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> keys holding a top-level Responses field as
    /// sent (a JSON element: <c>switchboard.openai.responses.include</c>, <c>….prompt_cache_key</c>, <c>….tools</c>): only a
    /// native Responses upstream receives them.
    /// </summary>
    public const string OpenAIResponsesFieldPrefix = "switchboard.openai.responses.";

    /// <summary>
    /// Key of <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> holding the types of the hosted tools a
    /// Responses request offers (<c>web_search</c>, …; a string array): only <c>openai</c> and <c>azure-openai</c> deployments
    /// can serve the request, and the router plans only those.
    /// </summary>
    public const string OpenAIHostedTools = "switchboard.openai.hosted_tools";

    /// <summary>
    /// Key of an <see cref="Microsoft.Extensions.AI.AIContent"/>'s additional properties holding an OpenAI Responses item as sent
    /// by the client or received from OpenAI (a JSON element: a <c>reasoning</c> item with its <c>encrypted_content</c>, a
    /// <c>web_search_call</c>, a call with its namespace): a native Responses upstream and the Responses edge write it verbatim,
    /// the other providers see only the canonical content (or nothing, for reasoning they cannot read).
    /// </summary>
    public const string OpenAIResponsesItem = "switchboard.openai.item";
}
