namespace ChaosLab.Tests.Web.OpenEnv.ApiDoc;

public sealed class ApiDocumentTests
{
    [Fact]
    public void Parse_HttpPairAndSocketBlock_ExamplesUnderTheirHeading()
    {
        var sections = ApiDocument.Parse("""
            # Intro
            Prose only.
            ## Reset
            ```http
            POST /reset

            {"seed": 7}
            ```
            Text between request and reply.
            ```http
            HTTP/1.1 200 OK

            {"done": false}
            ```
            ```ws
            WS /ws
            > {"type":"state"}
            < {"type":"state",
               "data":{}}
            < close 1000
            ```
            """);

        var section = Assert.Single(sections);
        Assert.Equal("Reset", section.Heading);
        var http = Assert.IsType<HttpExample>(section.Examples[0]);
        Assert.Equal("POST /reset\n\n{\"seed\": 7}", http.Request);
        var socket = Assert.IsType<SocketExample>(section.Examples[1]);
        Assert.Equal("/ws", socket.Path);
        Assert.Equal(
            [new SocketFrame(true, """{"type":"state"}"""), new SocketFrame(false, "{\"type\":\"state\",\n   \"data\":{}}"), new SocketFrame(false, SocketFrame.CloseMarker)],
            socket.Frames);
    }

    [Theory]
    [InlineData("# A\n```http\nPOST /reset\n```\n# B\n")]
    [InlineData("# A\n```http\nHTTP/1.1 200 OK\n```\n")]
    [InlineData("# A\n```ws\n> {}\n```\n")]
    public void Parse_MalformedExample_Throws(string markdown)
    {
        Assert.Throws<FormatException>(() => ApiDocument.Parse(markdown));
    }
}
