using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Pipeline;
using Polly;

namespace ChaosLab.Core.Suites.Mast.Simulation;

/// <summary>One agent during one run: its deployed spec, its streams, its backend and what it has done.</summary>
internal sealed class AgentState(PipelineAgent agent, int index, RoleSpec? spec, DeterministicRandom latency, DeterministicRandom backend)
{
    public PipelineAgent Agent { get; } = agent;

    public string Id => Agent.Id;

    public string Role => Agent.Role;

    public int Index { get; } = index;

    public RoleSpec? Spec { get; } = spec;

    public DeterministicRandom Latency { get; } = latency;

    /// <summary>Rolls for the per-call backend faults.</summary>
    public DeterministicRandom Backend { get; } = backend;

    public ResiliencePipeline<ModelReply>? Pipeline { get; set; }

    public List<InjectedFault> BackendFaults { get; } = [];

    /// <summary>From this call on (1-based) the backend is unreachable; 0 = no outage this run.</summary>
    public int OutageFromCall { get; set; }

    public int Calls { get; set; }

    /// <summary>Turns this agent took (a stop condition <c>max_turns:N</c> counts these).</summary>
    public int OwnTurns { get; set; }

    /// <summary>Reading its role spec: +1 ms per 10 characters on every call.</summary>
    public int PromptCostMs => Spec is null ? 0 : Spec.PromptLength / 10;

    /// <summary>Chunked context: every call reads the history in this many windows.</summary>
    public int ChunkFactor { get; set; } = 1;

    /// <summary>The emission format, as its spec says or as deployed.</summary>
    public string OutputFormat => Spec?.OutputFormat ?? Agent.OutputFormat;

    /// <summary>The stop condition word of its spec (<c>max_turns</c> for <c>max_turns:N</c>), or null.</summary>
    public string? StopCondition => Spec?.StopCondition is { } stop && stop.StartsWith("max_turns", StringComparison.Ordinal) ? "max_turns" : Spec?.StopCondition;

    public int? MaxOwnTurns => StopCondition == "max_turns" ? Spec!.MaxTurns : null;

    public bool Knows(string constraint) => Spec is not null && Spec.Constraints.Contains(constraint);
}
