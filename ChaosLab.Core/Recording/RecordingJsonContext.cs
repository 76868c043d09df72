using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Recording;

/// <summary>How the recorder stores the engine's records as JSON (snake_case, compact).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(EpisodeGrade))]
[JsonSerializable(typeof(IReadOnlyList<FaultDecision>))]
[JsonSerializable(typeof(IReadOnlyList<RewardComponent>))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class RecordingJsonContext : JsonSerializerContext;
