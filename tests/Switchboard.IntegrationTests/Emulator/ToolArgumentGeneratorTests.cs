using System.Text.Json.Nodes;
using Switchboard.Emulator;

namespace Switchboard.IntegrationTests.Emulator;

public sealed class ToolArgumentGeneratorTests
{
    [Fact]
    public void Generate_FillsRequiredPropertiesByType_AndRecurses()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{
              "s":{"type":"string"},"n":{"type":"number"},"i":{"type":"integer"},"b":{"type":"boolean"},
              "a":{"type":"array","items":{"type":"string"}},"e":{"type":"string","enum":["x","y"]},
              "o":{"type":"object","properties":{"inner":{"type":["string","null"]}},"required":["inner"]},
              "optional":{"type":"string"}},
             "required":["s","n","i","b","a","e","o"]}
            """);

        var args = ToolArgumentGenerator.ForObject(schema);

        Assert.Equal("""{"s":"emulated","n":1,"i":1,"b":true,"a":[],"e":"x","o":{"inner":"emulated"}}""", args.ToJsonString());
    }
}
