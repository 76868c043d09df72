using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ChaosLab.Core.Curriculum;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Core;

/// <summary>
/// The engine's one source-generated JSON context: snake_case names, compact output, nulls kept
/// (a stored grade says <c>"answer_key": null</c> rather than leaving the reader to guess).
/// Callers that want nulls left out (scenario documents, the /schema shapes) derive options
/// from <see cref="JsonSerializerContext.Options"/> and say so where they do.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(EpisodeGrade))]
[JsonSerializable(typeof(IReadOnlyList<FaultDecision>))]
[JsonSerializable(typeof(IReadOnlyList<RewardComponent>))]
[JsonSerializable(typeof(CurriculumRules))]
[JsonSerializable(typeof(AgentAction.CallToolWire))]
[JsonSerializable(typeof(AgentAction.SubmitWire))]
[JsonSerializable(typeof(AgentAction.ListToolsWire))]
[JsonSerializable(typeof(ToolsObservation))]
[JsonSerializable(typeof(ToolsState))]
[JsonSerializable(typeof(ToolsScenarioDocument))]
[JsonSerializable(typeof(Suites.Mast.MastObservation))]
[JsonSerializable(typeof(Suites.Mast.MastState))]
[JsonSerializable(typeof(Suites.Gauntlet.GauntletObservation))]
[JsonSerializable(typeof(Suites.Gauntlet.GauntletState))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, int>))]
[JsonSerializable(typeof(Evaluation.StoredAgentTrace))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;
