namespace Switchboard.Ledger;

/// <summary>The values of <c>Switchboard:Ledger:Provider</c>.</summary>
public static class LedgerProviders
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
}
