using Switchboard.Guardrails;

namespace Switchboard.Tests.Guardrails;

public sealed class PiiDetectorTests
{
    private readonly PiiDetector _detector = new();

    private string[] Labels(string text) => [.. _detector.Find(text).Select(m => m.Label)];

    private string[] Values(string text) => [.. _detector.Find(text).Select(m => text.Substring(m.Index, m.Length))];

    [Theory]
    [InlineData("Write to jane.doe+news@example.co.uk today", "EMAIL", "jane.doe+news@example.co.uk")]
    [InlineData("Call me on +1 415 555 0100 tomorrow", "PHONE", "+1 415 555 0100")]
    [InlineData("Office: (020) 7946 0958.", "PHONE", "(020) 7946 0958")]
    [InlineData("US line 415-555-0199 works", "PHONE", "415-555-0199")]
    [InlineData("Card 4111 1111 1111 1111 exp 12/27", "CARD", "4111 1111 1111 1111")]
    [InlineData("Card 5555-5555-5555-4444 please", "CARD", "5555-5555-5555-4444")]
    [InlineData("IBAN DE89 3704 0044 0532 0130 00 for the refund", "IBAN", "DE89 3704 0044 0532 0130 00")]
    [InlineData("IBAN GB82WEST12345698765432.", "IBAN", "GB82WEST12345698765432")]
    [InlineData("SSN 123-45-6789 on file", "SSN", "123-45-6789")]
    [InlineData("Server at 192.168.10.25.", "IP", "192.168.10.25")]
    [InlineData("Host 2001:db8:85a3::8a2e:370:7334 is down", "IP", "2001:db8:85a3::8a2e:370:7334")]
    [InlineData("key sk-" + "proj-abcdefghijklmnopqrstuvwxyz123456 leaked", "SECRET", "sk-" + "proj-abcdefghijklmnopqrstuvwxyz123456")]
    [InlineData("token ghp_abcdefghijklmnopqrstuvwxyz0123456789 leaked", "SECRET", "ghp_abcdefghijklmnopqrstuvwxyz0123456789")]
    [InlineData("maps AIza" + "SyA1234567890abcdefghijklmnopqrstuv used", "SECRET", "AIza" + "SyA1234567890abcdefghijklmnopqrstuv")]
    public void Finds_EachKind(string text, string label, string value)
    {
        Assert.Equal([label], Labels(text));
        Assert.Equal([value], Values(text));
    }

    [Theory]
    [InlineData("Card 4111 1111 1111 1112 is a typo")] // fails Luhn
    [InlineData("IBAN DE88 3704 0044 0532 0130 00")] // wrong check digits
    [InlineData("SSN 000-12-3456")] // area 000
    [InlineData("SSN 666-12-3456")] // area 666
    [InlineData("SSN 912-34-5678")] // area 9xx
    [InlineData("SSN 123-00-4567")] // group 00
    public void InvalidChecksums_AreNotPersonalData(string text) => Assert.Empty(Labels(text));

    [Theory]
    [InlineData("The meeting is on 2024-05-17 at 14:30:00.")]
    [InlineData("Invoice 1234567890 totals 1,234,567.89 EUR.")]
    [InlineData("We sold 100 000 000 units in 2023 and 12 500 in 2024.")]
    [InlineData("Upgrade from 10.2.3 to 11.0.1 and run build 20240517.")]
    [InlineData("Order #98765432101234 shipped on 17/05/2024.")]
    [InlineData("The ratio was 3:2:1 and the score 21-14.")]
    [InlineData("Call stack depth 4096, timeout 30000 ms, port 8080.")]
    [InlineData("Pi is 3.14159265358979 and e is 2.71828182845904.")]
    public void OrdinaryNumbersAndDates_AreNotPersonalData(string text) => Assert.Empty(Labels(text));

    [Fact]
    public void Kinds_LimitWhatIsFound()
    {
        var onlyEmail = new PiiDetector([PiiKind.Email]);
        var found = onlyEmail.Find("a@b.com or 4111 1111 1111 1111");

        Assert.Equal(["EMAIL"], found.Select(f => f.Label));
    }

    [Fact]
    public void Vault_GivesTheSamePlaceholderToTheSameValue_AndRestores()
    {
        var vault = new PiiVault();
        var text = "Mail ann@example.com, cc bob@example.com, again ann@example.com";
        var redacted = vault.Redact(text, _detector.Find(text));

        Assert.Equal("Mail [EMAIL_1], cc [EMAIL_2], again [EMAIL_1]", redacted);
        Assert.Equal(text, vault.Restore(redacted));
        Assert.Equal("[EMAIL_9] stays", vault.Restore("[EMAIL_9] stays"));
    }
}
