using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChaosLab.Core.Scenarios;

/// <summary>
/// What a suite publishes about its scenarios as data: the JSON Schema of a document, its
/// built-in scenarios in that form, and the checks a schema cannot express.
/// </summary>
public interface IScenarioFormat
{
    /// <summary>The suite's name (<see cref="Environment.ISuite.Name"/>).</summary>
    string Suite { get; }

    /// <summary>JSON Schema (draft 2020-12) of one scenario document, including the <see cref="ScenarioFields"/>.</summary>
    JsonObject Schema { get; }

    IReadOnlyList<ScenarioDocument> BuiltIn { get; }

    /// <summary>
    /// Problems with a document the schema has accepted (e.g. a target its world does not have);
    /// empty when the suite can play it.
    /// </summary>
    IReadOnlyList<ScenarioError> Check(JsonElement document);

    /// <summary>
    /// A suite that plays exactly <paramref name="document"/> under its id (published or not,
    /// built-in ids included), and its fault plan for a seed: what the preview plays and describes.
    /// The document must pass <see cref="Check"/>. Episodes of that suite are for the preview only:
    /// nothing records them.
    /// </summary>
    ScenarioRehearsal Rehearse(ScenarioDocument document);
}

/// <param name="Suite">Resolves the document's id to the document itself; every other id as the suite always does.</param>
/// <param name="FaultPlan">The document's fault plan as a session on that seed uses it (a plan can name the seed's entities).</param>
public sealed record ScenarioRehearsal(Environment.ISuite Suite, Func<long, Faults.FaultPlan> FaultPlan);

/// <param name="Path">JSON Pointer into the document (empty for the whole document).</param>
public sealed record ScenarioError(string Path, string Message);
