using System.Net.WebSockets;

// The load driver's floor: a bare Kestrel WebSocket server that answers every text message with
// the same bytes, hosted like ChaosLab (same SDK, same GC settings, its own process), so what
// ChaosLab adds on top of Kestrel and the WebSocket protocol can be read off side by side.
//   dotnet bench/ChaosLab.EchoServer/bin/Release/net10.0/ChaosLab.EchoServer.dll --urls=http://127.0.0.1:5099
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
app.MapGet("/health", () => "ok");
app.Map("/ws", EchoAsync);
app.Run();

static async Task EchoAsync(HttpContext context)
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
        return;
    }

    using var socket = await context.WebSockets.AcceptWebSocketAsync();

    // The ASP.NET Core WebSocket sample's 4 KB buffer, held for the connection's life.
    var buffer = new byte[4 * 1024];
    var message = new MemoryStream();
    try
    {
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            if (result.EndOfMessage && message.Length == 0)
            {
                await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, endOfMessage: true, context.RequestAborted);
                continue;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                await socket.SendAsync(message.GetBuffer().AsMemory(0, (int)message.Length), result.MessageType, endOfMessage: true, context.RequestAborted);
                message.SetLength(0);
            }
        }
    }
    catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
    {
        // The client went away.
    }
}
