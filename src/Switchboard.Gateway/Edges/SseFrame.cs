namespace Switchboard.Gateway.Edges;

/// <summary>One server-sent event: an optional <c>event:</c> name and the <c>data:</c> payload (compact UTF-8 JSON or a literal such as <c>[DONE]</c>).</summary>
internal readonly record struct SseFrame(string? Event, byte[] Data)
{
    /// <summary>The payload as text (for tests and logs).</summary>
    public string DataText => System.Text.Encoding.UTF8.GetString(Data);
}
