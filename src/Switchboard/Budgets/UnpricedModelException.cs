namespace Switchboard.Budgets;

/// <summary>A budget applies but a candidate deployment has no price (and no <c>Switchboard:Catalog:UnpricedModel</c> is set).</summary>
public sealed class UnpricedModelException(string deployment)
    : Exception($"A budget applies to this request, but '{deployment}' has no known price, so its cost cannot be bounded. " +
        "Use a model the catalog prices, add its price under Switchboard:Catalog:Models, or set Switchboard:Catalog:UnpricedModel.")
{
    public string Deployment { get; } = deployment;
}
