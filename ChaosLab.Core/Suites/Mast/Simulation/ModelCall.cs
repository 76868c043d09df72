namespace ChaosLab.Core.Suites.Mast.Simulation;

/// <summary>One model call of an agent, across the attempts its resilience pipeline makes.</summary>
internal sealed class ModelCall(PipelineRun run, AgentState agent, int number)
{
    public PipelineRun Run { get; } = run;

    public AgentState Agent { get; } = agent;

    /// <summary>1-based among the agent's calls in this run (an outage starts at some call).</summary>
    public int Number { get; } = number;

    public int Attempts { get; set; }

    /// <summary>When a 429 was answered: attempts before this time get 429 again.</summary>
    public long RateLimitedUntilMs { get; set; } = -1;

    public int RetryAfterMs { get; set; }

    /// <summary>Why the last attempt failed, as the operator's log says it.</summary>
    public string? LastError { get; set; }
}

/// <summary>What the backend does with one attempt.</summary>
internal enum BackendBehaviour
{
    Healthy,
    Unavailable,
    RateLimited,
    Hang,
    Unreachable,
}

internal readonly record struct AttemptPlan(long LatencyMs, BackendBehaviour Behaviour);
