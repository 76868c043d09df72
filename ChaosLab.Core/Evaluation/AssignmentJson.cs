using System.Text.Json.Nodes;
using ChaosLab.Core.Harness;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// A resolved <see cref="Assignment"/> as stored with its run (and read back to resume it): the
/// file's own keys, paths already resolved. It holds a profile's name and file, never a header
/// value: those are read from the environment each time a request is sent.
/// </summary>
public static class AssignmentJson
{
    public static string Write(Assignment assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var json = new JsonObject
        {
            ["name"] = assignment.Name,
            ["agent"] = assignment.Agent.Reference is { } reference ? AssignmentFile.ReferencePrefix + reference : assignment.Agent.Profile,
            ["agents_file"] = assignment.Agent.ProfilesFile,
            ["harness"] = new JsonObject
            {
                ["enabled"] = assignment.Harness.Enabled,
                ["h2"] = assignment.Harness.H2,
                ["h3"] = assignment.Harness.H3,
                ["h4"] = assignment.Harness.H4,
                ["h5"] = assignment.Harness.H5,
                ["h5_top_k"] = assignment.Harness.H5TopK,
            },
            ["tasks"] = new JsonArray([.. assignment.Tasks.Select(t => (JsonNode)new JsonObject
            {
                ["suite"] = t.Suite,
                ["task"] = t.TaskId,
                ["tiers"] = t.Tiers is null ? null : new JsonArray([.. t.Tiers.Select(v => (JsonNode)JsonValue.Create(v))]),
                ["scenarios"] = t.Scenarios is null ? null : new JsonArray([.. t.Scenarios.Select(v => (JsonNode)JsonValue.Create(v))]),
            })]),
            ["split"] = assignment.Split,
            ["seeds"] = new JsonArray([.. assignment.SeedIndices.Select(i => (JsonNode)JsonValue.Create(i))]),
            ["trials"] = assignment.Trials,
            ["concurrency"] = assignment.Concurrency,
            ["output"] = assignment.Output,
        };
        return json.ToJsonString();
    }

    /// <summary>Reads what <see cref="Write"/> wrote (the store holds nothing else).</summary>
    public static Assignment Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var root = JsonNode.Parse(json)!.AsObject();
        var agent = (string)root["agent"]!;
        var agentsFile = (string?)root["agents_file"];
        var choice = agent.StartsWith(AssignmentFile.ReferencePrefix, StringComparison.Ordinal)
            ? new AgentChoice(null, null, agent[AssignmentFile.ReferencePrefix.Length..])
            : new AgentChoice(agent, agentsFile, null);
        var harness = root["harness"]!.AsObject();
        return new Assignment(
            (string)root["name"]!,
            choice,
            new HarnessOptions
            {
                Enabled = (bool)harness["enabled"]!,
                H2 = (bool)harness["h2"]!,
                H3 = (bool)harness["h3"]!,
                H4 = (bool)harness["h4"]!,
                H5 = (bool)harness["h5"]!,
                H5TopK = (int)harness["h5_top_k"]!,
            },
            [.. root["tasks"]!.AsArray().Select(t => new TaskSelection(
                (string)t!["suite"]!,
                (string?)t["task"],
                t["tiers"]?.AsArray().Select(v => (string)v!).ToList(),
                t["scenarios"]?.AsArray().Select(v => (string)v!).ToList()))],
            (string)root["split"]!,
            [.. root["seeds"]!.AsArray().Select(v => (int)v!)],
            (int)root["trials"]!,
            (int)root["concurrency"]!,
            (string?)root["output"]);
    }
}
