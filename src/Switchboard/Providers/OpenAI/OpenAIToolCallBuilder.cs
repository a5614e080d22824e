using System.Text;

namespace Switchboard.Providers.OpenAI;

/// <summary>One streamed tool call being assembled: id and name from its first piece, argument text concatenated.</summary>
internal sealed class OpenAIToolCallBuilder(int index)
{
    public int Index { get; } = index;
    public string? Id { get; set; }
    public string? Name { get; set; }
    public StringBuilder Arguments { get; } = new();
}
