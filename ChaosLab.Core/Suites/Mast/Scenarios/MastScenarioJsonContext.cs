using System.Text.Json.Serialization;

namespace ChaosLab.Core.Suites.Mast.Scenarios;

/// <summary>
/// Source-generated JSON for mast scenario documents (snake_case, nulls left out so authored and
/// built-in documents read alike). Kept with the suite rather than in the core's context so the
/// suite stays a folder of its own.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(MastScenarioDefinition))]
internal sealed partial class MastScenarioJsonContext : JsonSerializerContext;
