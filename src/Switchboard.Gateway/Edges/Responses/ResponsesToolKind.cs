namespace Switchboard.Gateway.Edges.Responses;

/// <summary>How a client's Responses tool was bridged to a canonical function, so its calls go back in the client's shape.</summary>
internal enum ResponsesToolKind
{
    /// <summary>A <c>function</c> tool (possibly inside a <c>namespace</c>): calls return as <c>function_call</c>.</summary>
    Function,

    /// <summary>A <c>custom</c> tool, bridged as a function with one string parameter <c>input</c>: calls return as <c>custom_tool_call</c>.</summary>
    Custom,
}
