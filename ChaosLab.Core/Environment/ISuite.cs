using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;

namespace ChaosLab.Core.Environment;

/// <summary>
/// A family of tasks and scenarios the engine runs episodes of (<c>tools</c>, <c>mast</c>,
/// <c>gauntlet</c>). A suite is immutable and thread-safe; all episode state lives in the
/// sessions it creates.
/// </summary>
public interface ISuite
{
    /// <summary>The name clients pass as the <c>suite</c> reset parameter.</summary>
    string Name { get; }

    string Description { get; }

    IReadOnlyList<TaskDescriptor> Tasks { get; }

    /// <summary>Difficulty tiers, easiest first.</summary>
    IReadOnlyList<string> Tiers { get; }

    IReadOnlyList<ScenarioDescriptor> Scenarios { get; }

    /// <summary>
    /// The tools an agent can call (as <c>{"type":"call_tool","tool_name":...,"arguments":...}</c>
    /// steps), listed to MCP clients by <c>tools/list</c> without needing a session.
    /// </summary>
    IReadOnlyList<ToolDescriptor> Tools { get; }

    /// <summary>The kinds of fault this suite injects, so records and the dashboard can describe any of them.</summary>
    IReadOnlyList<Faults.FaultKind> FaultKinds { get; }

    /// <summary>JSON Schemas of this suite's actions (a union over <c>type</c>), observation and state.</summary>
    SuiteSchemas Schemas { get; }

    /// <summary>Scripted agents that play this suite without a model (the seeder plays them on its scenarios).</summary>
    IReadOnlyList<ReferenceAgent> ReferenceAgents { get; }

    /// <summary>
    /// Cheats that play this suite through actions alone (a fixed guess, the question echoed,
    /// keywords stuffed): the scenario preview plays them to show that none of them scores. Their
    /// names are reserved like the reference agents' and never recorded.
    /// </summary>
    IReadOnlyList<ReferenceAgent> ExploitAgents { get; }

    /// <summary>A new session with no episode; the caller resets it before stepping.</summary>
    IEpisodeSession CreateSession();
}

/// <param name="Guidance">What the agent is told about the task in the reset observation.</param>
public sealed record TaskDescriptor(string Id, string Title, string Guidance, int MaxSteps);

/// <param name="Family">The kind of question or problem, shared by scenarios built from one template.</param>
/// <param name="Version">Bumped whenever the scenario's content changes, so recorded episodes stay interpretable.</param>
/// <param name="FixedAnswers">Its answers do not depend on the seed (a hand-written world): whoever has read the
/// scenario knows them, so it is never played sealed.</param>
public sealed record ScenarioDescriptor(string Id, string TaskId, string Tier, string Family, string Title, int Version, bool FixedAnswers = false);

/// <param name="InputSchema">JSON Schema of the tool's <c>arguments</c> object.</param>
public sealed record ToolDescriptor(string Name, string Description, string Category, JsonObject InputSchema);

public sealed record SuiteSchemas(JsonObject Action, JsonObject Observation, JsonObject State);
