using System.Text.Json.Nodes;

namespace ChaosLab.Core.Agents;

/// <summary>
/// An agent: given the last observation (the reset observation first), the next action as the
/// bare JSON object sent on the wire. One instance plays one episode at a time; a reset
/// observation starts it over.
/// </summary>
public interface IAgent
{
    string Name { get; }

    JsonObject NextAction(JsonObject observation);
}
