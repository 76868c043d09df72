namespace ChaosLab.Tests.Infrastructure;

/// <summary>Agent names every test server registers, so tests can play sealed episodes.</summary>
public static class TestAgents
{
    public const string Sealed = "sealed-agent";
    public const string SealedKey = "sealed-agent-key-0123456789";
    public const string Live = "live-agent";
    public const string LiveKey = "live-agent-key-0123456789";

    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        [$"ChaosLab:Integrity:Agents:{Sealed}"] = SealedKey,
        [$"ChaosLab:Integrity:Agents:{Live}"] = LiveKey,
    };
}
