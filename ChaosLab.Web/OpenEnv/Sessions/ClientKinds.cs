namespace ChaosLab.Web.OpenEnv.Sessions;

/// <summary>How a client reached the environment; recorded with each episode.</summary>
public static class ClientKinds
{
    public const string WebSocket = "ws";
    public const string Http = "http";
    public const string Mcp = "mcp";
    public const string Ui = "ui";
    public const string Eval = "eval";

    public static IReadOnlyList<string> All { get; } = [WebSocket, Http, Mcp, Ui, Eval];
}
