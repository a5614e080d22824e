using Switchboard.Chat;
using Switchboard.Ledger;

namespace Switchboard.Tests.Ledger;

public sealed class LedgerOptionsValidatorTests
{
    [Theory]
    [InlineData("process")]
    [InlineData("fsync")]
    [InlineData("FSYNC")]
    public void Durability_KnownValues_AreValid(string durability) =>
        Assert.True(new LedgerOptionsValidator([]).Validate(null, new LedgerOptions { Durability = durability }).Succeeded);

    [Fact]
    public void Durability_Unknown_FailsNamingTheKey_AlongsideOtherErrors()
    {
        var result = new LedgerOptionsValidator([]).Validate(null, new LedgerOptions { Durability = "sometimes", Provider = "mongo" });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Switchboard:Ledger:Durability:", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Switchboard:Ledger:Provider:", StringComparison.Ordinal));
    }

    [Fact]
    public void Postgres_WithoutThePostgreSqlPackage_FailsNamingThePackage_WithItPasses()
    {
        var options = new LedgerOptions { Provider = "postgres", ConnectionString = "Host=127.0.0.1;Username=x" };

        var without = new LedgerOptionsValidator([]).Validate(null, options);
        var with = new LedgerOptionsValidator([new SharedStateProvider(SharedStateProvider.PostgreSql)]).Validate(null, options);

        Assert.Contains(without.Failures!, f => f.Contains("Switchboard.PostgreSql", StringComparison.Ordinal));
        Assert.True(with.Succeeded);
    }

    [Fact]
    public void Durability_DefaultsToProcess() => Assert.Equal(LedgerDurability.Process, new LedgerOptions().Durability);

    [Fact]
    public void JournalMaxBytes_BelowSixtyFourKilobytes_FailsNamingTheKey()
    {
        var result = new LedgerOptionsValidator([]).Validate(null, new LedgerOptions { JournalMaxBytes = 1000 });

        Assert.Contains(result.Failures!, f => f.StartsWith("Switchboard:Ledger:JournalMaxBytes:", StringComparison.Ordinal));
        Assert.Equal(1L << 30, new LedgerOptions().JournalMaxBytes);
    }
}
