using System.Text.Json.Serialization;
using ChaosLab.Core.Environment;

namespace ChaosLab.Web.Model;

/// <summary>Reads the recorder's JSON columns (snake_case) back into the engine's records.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(EpisodeGrade))]
[JsonSerializable(typeof(IReadOnlyList<FaultDecision>))]
[JsonSerializable(typeof(IReadOnlyList<RewardComponent>))]
internal sealed partial class ReplayJsonContext : JsonSerializerContext;
