using System.Text.Json;
using ChaosLab.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace ChaosLab.Tests.Web.OpenEnv;

/// <summary>
/// The official MCP C# SDK's own client (<c>ModelContextProtocol.Core</c>) against <c>POST /mcp</c>
/// over real HTTP, as any standard MCP client would connect: Streamable HTTP, the session in
/// <c>Mcp-Session-Id</c>, the question in the initialize result's instructions.
/// </summary>
public sealed class McpSdkClientTests(ChaosLabAppFactory app) : IClassFixture<ChaosLabAppFactory>
{
    [Fact]
    public async Task SdkClient_InitializeListToolsCallTool_QuestionAndAToolResult()
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(app.ServerAddress, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
        });
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions
        {
            ClientInfo = new Implementation { Name = "sdk-client", Version = "2.4.0" },
        });

        var tools = await client.ListToolsAsync();
        var result = await client.CallToolAsync("calculator", new Dictionary<string, object?> { ["expression"] = "6*7" });

        Assert.StartsWith("Question (episode ", client.ServerInstructions, StringComparison.Ordinal);
        Assert.Equal("chaoslab", client.ServerInfo?.Name);
        Assert.Contains(tools, tool => tool.Name == "submit_answer");
        // A step of the episode initialize started (its drawn seed may fault the call, so not its value).
        var observation = result.StructuredContent!.Value.GetProperty("observation");
        Assert.Equal(("calculator", 1), (observation.GetProperty("tool_name").GetString(), observation.GetProperty("step").GetInt32()));
        Assert.Equal(observation.GetProperty("status").GetString() == "error", result.IsError == true);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(Assert.IsType<TextContentBlock>(result.Content[0]).Text).RootElement.ValueKind);
    }
}
