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

    /// <summary>Most episodes one run plays at once, whatever its assignment asks.</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Where runs started on the server write their output files, one folder per run; relative to the data directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string OutputDirectory { get; set; } = "runs";
}
