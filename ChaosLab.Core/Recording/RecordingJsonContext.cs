using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ChaosLab.Core.Curriculum;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Recording;

/// <summary>How the store keeps the engine's records (and curricula's rules) as JSON (snake_case, compact).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(EpisodeGrade))]
[JsonSerializable(typeof(IReadOnlyList<FaultDecision>))]
[JsonSerializable(typeof(IReadOnlyList<RewardComponent>))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(CurriculumRules))]
internal sealed partial class RecordingJsonContext : JsonSerializerContext;
