using ChaosLab.Core.Suites.Mast;
using ChaosLab.Core.Suites.Mast.Config;
using ChaosLab.Core.Suites.Mast.Pipeline;
using ChaosLab.Core.Suites.Mast.Simulation;

namespace ChaosLab.Tests.Suites.Mast.Simulation;

/// <summary>
/// Small pipeline instances built by hand, so the simulator is tested apart from scenario
/// generation. The SLO is calibrated the design's way: the p95 latency of 16 calibration runs
/// under the fix that addresses the instance's faults, times 1.6, rounded up to 100 ms.
/// </summary>
internal sealed class MastInstanceBuilder
{
    private readonly List<PipelineAgent> _agents = [];
    private readonly List<InjectedFault> _faults = [];
    private string _kind = "research_report";
    private int _items = 5;
    private IReadOnlyList<string> _constraints = ["cite_sources", "iso_dates"];
    private int _maxTurns = 40;
    private int? _sloMs;
    private long _seed = 7;

    /// <summary>planner (yaml) -> researcher -> writer -> reviewer -> verifier.</summary>
    public static MastInstanceBuilder ResearchReport() => new MastInstanceBuilder()
        .Agent("planner-1", AgentRoles.Planner, "text", "yaml")
        .Agent("researcher-1", AgentRoles.Researcher, "json", "json")
        .Agent("writer-1", AgentRoles.Writer, "json", "text")
        .Agent("reviewer-1", AgentRoles.Reviewer, "text", "text")
        .Agent("verifier-1", AgentRoles.Verifier, "text", "text");

    /// <summary>planner (yaml) -> executor (parses json) -> verifier.</summary>
    public static MastInstanceBuilder PlanExecute() => new MastInstanceBuilder { _kind = "plan_execute" }
        .Agent("planner-1", AgentRoles.Planner, "text", "yaml")
        .Agent("executor-1", AgentRoles.Executor, "json", "json")
        .Agent("verifier-1", AgentRoles.Verifier, "text", "text");

    /// <summary>coordinator -> writer -> reviewer -> verifier: the coordinator sends final.</summary>
    public static MastInstanceBuilder Coordinated() => new MastInstanceBuilder { _kind = "coordinated_report" }
        .Agent("coordinator-1", AgentRoles.Coordinator, "text", "json")
        .Agent("writer-1", AgentRoles.Writer, "json", "text")
        .Agent("reviewer-1", AgentRoles.Reviewer, "text", "text")
        .Agent("verifier-1", AgentRoles.Verifier, "text", "text");

    public MastInstanceBuilder Agent(string id, string role, string input, string output, int window = 8_192)
    {
        _agents.Add(new PipelineAgent(id, role, input, output, window, "You are a helpful assistant."));
        return this;
    }

    public MastInstanceBuilder Fault(string kind, string agent, double rate, params (string Name, string Value)[] parameters)
    {
        _faults.Add(new InjectedFault(kind, agent, rate, parameters.ToDictionary(p => p.Name, p => p.Value)));
        return this;
    }

    public MastInstanceBuilder Items(int items)
    {
        _items = items;
        return this;
    }

    public MastInstanceBuilder Constraints(params string[] constraints)
    {
        _constraints = constraints;
        return this;
    }

    public MastInstanceBuilder MaxTurns(int turns)
    {
        _maxTurns = turns;
        return this;
    }

    public MastInstanceBuilder Slo(int sloMs)
    {
        _sloMs = sloMs;
        return this;
    }

    public MastInstanceBuilder Seed(long seed)
    {
        _seed = seed;
        return this;
    }

    /// <summary>The instance, its SLO calibrated under <paramref name="fix"/> (the defaults when null) unless set.</summary>
    public MastInstance Build(ResilienceConfig? fix = null)
    {
        var draft = Make(_sloMs ?? int.MaxValue);
        if (_sloMs is not null)
        {
            return draft;
        }

        var latencies = PipelineSimulator.RunMany(draft, fix ?? ResilienceConfig.Default, "calibration", 16).Select(r => r.LatencyMs).Order().ToList();
        var p95 = latencies[(int)Math.Ceiling(0.95 * latencies.Count) - 1];
        return Make((int)Math.Ceiling(p95 * 1.6 / 100) * 100);
    }

    private MastInstance Make(int sloMs) => new(
        "mast-test-" + _kind, 1, "specification", "beginner", _seed, _kind, [.. _agents],
        new TaskSpec("Write a short report.", _items, _constraints, 300),
        new PipelineLimits(sloMs, _maxTurns),
        [.. _faults]);
}

/// <summary>Configs for the tests: the defaults with a few fields changed.</summary>
internal static class Configs
{
    public static ResilienceConfig With(Func<ResilienceConfig, ResilienceConfig> change) => change(ResilienceConfig.Default);

    public static ResilienceConfig WithSpec(this ResilienceConfig config, RoleSpec spec)
    {
        var specs = new Dictionary<string, RoleSpec>(config.RoleSpecs, StringComparer.Ordinal) { [spec.Agent] = spec };
        return config with { RoleSpecs = specs };
    }

    /// <summary>A precise spec: the agent's role and its role's capabilities, nothing else.</summary>
    public static RoleSpec Spec(string agent, string role, IReadOnlyList<string>? constraints = null, string? outputFormat = null, string? stop = null, int? maxTurns = null) =>
        new(agent, role, AgentRoles.Capabilities[role], constraints ?? [], outputFormat, stop, maxTurns);
}

/// <summary>Pass rates over a stream of runs.</summary>
internal static class PassRate
{
    public static double Of(MastInstance instance, ResilienceConfig config, int runs = 200, string stream = "test") =>
        PipelineSimulator.RunMany(instance, config, stream, runs).Count(r => r.Passed) / (double)runs;
}
