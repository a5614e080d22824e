namespace Switchboard.Routing;

/// <summary>The original design's task types; configuration may add more.</summary>
public static class TaskTypes
{
    public const string General = "general";
    public const string CodeGeneration = "code_generation";
    public const string LongContext = "long_context";
}
