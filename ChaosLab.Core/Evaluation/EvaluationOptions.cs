using System.ComponentModel.DataAnnotations;

namespace ChaosLab.Core.Evaluation;

/// <summary>Settings of the <c>ChaosLab:Evaluation</c> section: what runs started on the server may use.</summary>
public sealed class EvaluationOptions
{
    public const string SectionName = "ChaosLab:Evaluation";

    /// <summary>
    /// The agent profiles file (YAML, the seed's <c>api_agents.yaml</c> shape) runs started from the
    /// dashboard or <c>/api/runs</c> choose from; none set means only the reference agents. Header
    /// values are templates (<c>Bearer ${OPENAI_API_KEY}</c>) read from the server's environment.
    /// </summary>
    public string? AgentsFile { get; set; }

    /// <summary>
    /// Most evaluation episodes this replica plays at once, over all runs. A run's own
    /// concurrency (its assignment's) holds over every replica together.
    /// </summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>
    /// How long an item stays with the replica playing it without a renewal. The replica renews
    /// every third of it; a replica that dies loses its items to the others after at most this long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a replica with free slots and nothing to play looks for items again (it also looks whenever one of its own items ends).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Where runs started on the server write their output files, one folder per run; relative to the data directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string OutputDirectory { get; set; } = "runs";
}
