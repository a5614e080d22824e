using Microsoft.Extensions.AI;

namespace Switchboard.Chat;

/// <summary>Attaches a <see cref="SwitchboardContext"/> to a request's options and reads it back.</summary>
public static class SwitchboardChatExtensions
{
    /// <summary>Attaches <paramref name="context"/> to these options (creating the property bag when needed).</summary>
    public static ChatOptions WithSwitchboard(this ChatOptions options, SwitchboardContext context)
    {
        ArgumentNullException.ThrowIfNull(options);
        (options.AdditionalProperties ??= [])[SwitchboardContext.Key] = context;
        return options;
    }

    /// <summary>The request context on these options, if any.</summary>
    public static SwitchboardContext? GetSwitchboard(this ChatOptions? options) => SwitchboardContext.Of(options);
}
