using System.Text.Json;
using ChaosLab.Core.Curriculum;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Integrity;

namespace ChaosLab.Web.OpenEnv;

/// <summary>
/// The parameters a client may pass to reset, parsed and checked. Anything not listed here
/// (scenario content, step limits, grades) is refused rather than ignored, so a client cannot
/// believe it changed something it did not. The gateway completes the request (episode id,
/// seed, agent identity) before a session sees it.
/// </summary>
public sealed record ResetRequest(string SuiteName, ResetOptions Options, string Agent)
{
    public const int MaxEpisodeIdLength = 255;
    public const int MaxAgentLength = AgentRegistry.MaxNameLength;
    public const int MaxAgentKeyLength = 256;
    public const string DefaultAgent = "anonymous";

    public static IReadOnlyList<string> Parameters { get; } = ["suite", "task_id", "tier", "scenario_id", "seed", "episode_id", "agent", "agent_key", "mode", "curriculum"];

    /// <summary>The client named the seed (practice only); otherwise the gateway draws it.</summary>
    public bool SeedChosen { get; init; }

    /// <summary>The key of a registered agent, checked by the gateway and never stored.</summary>
    public string? AgentKey { get; init; }

    /// <summary>The curriculum that picks the tier (practice only); the gateway asks it before the suite resolves the scenario.</summary>
    public string? Curriculum { get; init; }

    /// <param name="body">The reset body (or <c>/ws</c> <c>data</c>); undefined or null means all defaults.</param>
    public static EnvironmentResult<ResetRequest> Parse(JsonElement body, string defaultSuite)
    {
        if (body.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return EnvironmentResult<ResetRequest>.Success(new(defaultSuite, new ResetOptions(), DefaultAgent));
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return EnvironmentResult<ResetRequest>.Invalid(new ValidationError("", "Reset parameters must be a JSON object."));
        }

        var errors = new List<ValidationError>();
        string? suite = null, taskId = null, tier = null, scenarioId = null, episodeId = null, agent = null, agentKey = null, mode = null, curriculum = null;
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
                case "agent_key": agentKey = ReadString(property, MaxAgentKeyLength, errors); break;
                case "mode": mode = ReadString(property, 16, errors); break;
                case "curriculum": curriculum = ReadString(property, CurriculumNames.MaxLength, errors); break;
                case "seed": seed = ReadSeed(property, errors); break;
                default:
                    errors.Add(new ValidationError(property.Name, $"Unknown reset parameter '{property.Name}'.", Parameters));
                    break;
            }
        }

        var episodeMode = mode is null ? EpisodeMode.Practice : EpisodeModes.Parse(mode);
        if (episodeMode is null)
        {
            errors.Add(new ValidationError("mode", $"Unknown mode '{mode}'.", EpisodeModes.Names));
        }
        else if (episodeMode == EpisodeMode.Sealed && seed is not null)
        {
            errors.Add(new ValidationError("seed", "A sealed episode's seed is drawn by the server and kept secret until it ends; omit 'seed', or play mode 'practice'."));
        }

        errors.AddRange(CurriculumConflicts(curriculum, tier, scenarioId, episodeMode));

        if (episodeId is { Length: 0 })
        {
            errors.Add(new ValidationError("episode_id", "'episode_id' must not be empty; omit it to get a fresh one."));
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
            Seed = seed ?? 0,
            Mode = episodeMode!.Value,
        };
        var name = string.IsNullOrWhiteSpace(agent) ? DefaultAgent : agent.Trim();
        return EnvironmentResult<ResetRequest>.Success(new(suite ?? defaultSuite, options, name) { SeedChosen = seed is not null, AgentKey = agentKey, Curriculum = curriculum });
    }

    /// <summary>
    /// A curriculum chooses the tier, so a reset naming one cannot also choose the tier or a
    /// scenario (which fixes its tier); and curricula train, so they play practice episodes only.
    /// </summary>
    private static IEnumerable<ValidationError> CurriculumConflicts(string? curriculum, string? tier, string? scenarioId, EpisodeMode? mode)
    {
        if (curriculum is null)
        {
            yield break;
        }

        if (CurriculumNames.Problem(curriculum) is { } problem)
        {
            yield return new ValidationError("curriculum", problem);
        }

        if (tier is not null)
        {
            yield return new ValidationError("tier", "A curriculum chooses the tier; omit 'tier', or omit 'curriculum' to choose it yourself.");
        }

        if (scenarioId is not null)
        {
            yield return new ValidationError("scenario_id", "A curriculum chooses the tier, and a scenario fixes it; omit 'scenario_id', or omit 'curriculum'.");
        }

        if (mode == EpisodeMode.Sealed)
        {
            yield return new ValidationError("curriculum", "Curricula are for training and play practice episodes; a sealed episode's tier is the client's choice.");
        }
    }

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
