using System.Text.Json.Serialization;

namespace ChaosLab.Core.Suites.Gauntlet.Scenarios;

/// <summary>Source-generated JSON for gauntlet scenario documents (snake_case, nulls left out), kept with the suite.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(GauntletScenarioDefinition))]
internal sealed partial class GauntletScenarioJsonContext : JsonSerializerContext;
