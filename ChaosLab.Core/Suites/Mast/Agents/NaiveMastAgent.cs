using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;

namespace ChaosLab.Core.Suites.Mast.Agents;

/// <summary>Submits the deployed defaults at once, with no diagnosis: the score's zero point.</summary>
public sealed class NaiveMastAgent : IAgent
{
    public const string AgentName = "naive";

    public string Name => AgentName;

    public JsonObject NextAction(JsonObject observation) => new()
    {
        ["type"] = "submit_answer",
        ["answer"] = new JsonObject { ["config"] = new JsonObject() },
    };
}
