using System.Security.Cryptography;
using System.Text.Json;
using ChaosLab.Core.Environment;

namespace ChaosLab.Web.OpenEnv;

/// <summary>
/// The parameters a client may pass to reset, parsed and checked. Anything not listed here
/// (scenario content, step limits, grades) is refused rather than ignored, so a client cannot
/// believe it changed something it did not.
/// </summary>
public sealed record ResetRequest(string SuiteName, ResetOptions Options, string Agent)
{
    public const int MaxEpisodeIdLength = 255;
    public const int MaxAgentLength = 100;
    public const string DefaultAgent = "anonymous";

    public static IReadOnlyList<string> Parameters { get; } = ["suite", "task_id", "tier", "scenario_id", "seed", "episode_id", "agent"];

    /// <param name="body">The reset body (or <c>/ws</c> <c>data</c>); undefined or null means all defaults.</param>
    public static EnvironmentResult<ResetRequest> Parse(JsonElement body, string defaultSuite)
    {
        if (body.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return EnvironmentResult<ResetRequest>.Success(new(defaultSuite, new ResetOptions { Seed = DrawSeed() }, DefaultAgent));
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return EnvironmentResult<ResetRequest>.Invalid(new ValidationError("", "Reset parameters must be a JSON object."));
        }

        var errors = new List<ValidationError>();
        string? suite = null, taskId = null, tier = null, scenarioId = null, episodeId = null, agent = null;
        long? seed = null;
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "suite": suite = ReadString(property, 64, errors); break;
                case "task_id": taskId = ReadString(property, 64, errors); break;
                case "tier": tier = ReadString(property, 64, errors); break;
                case "scenario_id": scenarioId = ReadString(property, 128, errors); break;
                case "episode_id": episodeId = ReadString(property, MaxEpisodeIdLength, errors); break;
                case "agent": agent = ReadString(property, MaxAgentLength, errors); break;
                case "seed": seed = ReadSeed(property, errors); break;
                default:
                    errors.Add(new ValidationError(property.Name, $"Unknown reset parameter '{property.Name}'.", Parameters));
                    break;
            }
        }

        if (errors.Count > 0)
        {
            return EnvironmentResult<ResetRequest>.Invalid(errors);
        }

        var options = new ResetOptions
        {
            TaskId = taskId,
            Tier = tier,
            ScenarioId = scenarioId,
            EpisodeId = episodeId,
            Seed = seed ?? DrawSeed(),
        };
        return EnvironmentResult<ResetRequest>.Success(new(suite ?? defaultSuite, options, string.IsNullOrWhiteSpace(agent) ? DefaultAgent : agent.Trim()));
    }

    // The one place entropy enters: a client that names no seed still gets a reproducible
    // episode, because the drawn seed is recorded and returned in the observation/state.
    private static long DrawSeed() => RandomNumberGenerator.GetInt32(int.MaxValue);

    private static string? ReadString(JsonProperty property, int maxLength, List<ValidationError> errors)
    {
        if (property.Value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (property.Value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new ValidationError(property.Name, $"'{property.Name}' must be a string."));
            return null;
        }

        var value = property.Value.GetString()!;
        if (value.Length > maxLength)
        {
            errors.Add(new ValidationError(property.Name, $"'{property.Name}' must be at most {maxLength} characters."));
            return null;
        }

        return value;
    }

    private static long? ReadSeed(JsonProperty property, List<ValidationError> errors)
    {
        if (property.Value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt64(out var seed))
        {
            errors.Add(new ValidationError("seed", "'seed' must be an integer."));
            return null;
        }

        if (seed < 0)
        {
            errors.Add(new ValidationError("seed", "'seed' must be greater than or equal to 0."));
            return null;
        }

        return seed;
    }
}
