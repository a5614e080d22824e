namespace Switchboard.Providers;

/// <summary>
/// <c>Switchboard:Providers:&lt;name&gt;:PassThrough</c>: which of the client's own top-level fields and <c>anthropic-beta</c>
/// values this upstream receives when they pass through unchanged (Anthropic edge to an <c>anthropic</c>-type provider).
/// Over the built-in defaults (<c>Providers/passthrough.json</c>: everything passes): a non-empty <c>Allow</c> replaces the
/// default allow list, <c>Deny</c> entries are added to the default deny list. So an upstream that rejects what a new
/// client release sends (an older compatible server, a cloud-hosted Claude) is fixed by configuration.
/// </summary>
public sealed class ProviderPassThroughOptions
{
    /// <summary>Top-level request fields, e.g. <c>context_management</c>.</summary>
    public ProviderPassThroughList Fields { get; } = new();

    /// <summary>Values of the <c>anthropic-beta</c> header, e.g. <c>context-management-2025-06-27</c>.</summary>
    public ProviderPassThroughList Betas { get; } = new();
}
