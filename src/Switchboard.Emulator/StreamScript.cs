namespace Switchboard.Emulator;

/// <summary>
/// A whole SSE response as ready-made frames: opening frames, content frames (the chunks that faults count),
/// and closing frames. Each frame is complete, delimiter included.
/// </summary>
internal sealed class StreamScript
{
    public List<string> Prelude { get; } = [];
    public List<string> Content { get; } = [];
    public List<string> Epilogue { get; } = [];
}
