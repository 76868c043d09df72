using System.Net;
using System.Net.Sockets;

namespace ChaosLab.Tests.Core.Agents.Llm;

/// <summary>A loopback URL nothing listens on (a port taken and released), for "unreachable" tests.</summary>
internal static class ClosedPort
{
    public static string Url(string path = "/v1")
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}{path}";
    }
}
