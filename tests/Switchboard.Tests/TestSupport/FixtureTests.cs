namespace Switchboard.Tests.TestSupport;

public sealed class FixtureTests
{
    [Fact]
    public void JsonEquals_IgnoresPropertyOrder_ButNotValues()
    {
        Assert.True(Fixture.JsonEquals("""{"a":1,"b":[1,2]}""", """{"b":[1,2],"a":1}"""));
        Assert.False(Fixture.JsonEquals("""{"a":1}""", """{"a":2}"""));
    }
}
