using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Web;
using ChaosLab.Web.OpenEnv;

namespace ChaosLab.Tests.Web.OpenEnv;

public sealed class FrameWriterTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(100_000)]
    public void Serialize_ObservationFrame_SameBytesAsTheSerializer(int textLength)
    {
        // Characters the default encoder would escape and the wire's relaxed one does not, and a
        // frame both smaller and far larger than the first pooled buffer.
        var observation = new JsonObject
        {
            ["kind"] = "tool_result",
            ["result"] = "<b>Zürich & 東京</b> \"quoted\" " + new string('y', textLength),
            ["elapsed_ms"] = 12,
        };
        var frame = new ObservationFrame(new StepResponse(observation, 0.25, false, "ep-1"));

        using var written = FrameWriter.Serialize(frame, WebJsonContext.Wire.ObservationFrame);

        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(frame, WebJsonContext.Wire.ObservationFrame), written.Written.ToArray());
    }
}
