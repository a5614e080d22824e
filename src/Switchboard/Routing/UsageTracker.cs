using Microsoft.Extensions.AI;

namespace Switchboard.Routing;

/// <summary>Keeps the latest usage a stream has reported (providers report it cumulatively, usually at the end).</summary>
internal sealed class UsageTracker
{
    public UsageDetails? Current { get; private set; }

    public ChatFinishReason? FinishReason { get; private set; }

    public string? ModelId { get; private set; }

    public void Observe(ChatResponseUpdate update)
    {
        FinishReason = update.FinishReason ?? FinishReason;
        ModelId ??= update.ModelId;
        foreach (var content in update.Contents)
        {
            if (content is UsageContent usage)
            {
                Current = usage.Details;
            }
        }
    }
}
