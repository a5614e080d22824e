namespace Switchboard.Chat;

/// <summary>
/// Marks that a package providing state shared across replicas is registered: <c>Switchboard.Redis</c> registers
/// <c>redis</c>, <c>Switchboard.PostgreSql</c> registers <c>postgresql</c>. The core holds neither client; it refuses to
/// start when configuration asks for one whose package is not registered.
/// </summary>
public sealed record SharedStateProvider(string Name)
{
    public const string Redis = "redis";
    public const string PostgreSql = "postgresql";
}
