using System.Globalization;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Mast.Pipeline;
using ChaosLab.Core.Suites.Mast.Simulation;

namespace ChaosLab.Core.Suites.Mast.Scenarios;

/// <summary>
/// Makes a scenario concrete for a seed. Every choice has its own stream
/// (<c>mast|&lt;scenario&gt;|&lt;purpose&gt;</c>), so a change to one draw never shifts another,
/// and the same (scenario, seed) always gives the same instance on every machine.
/// </summary>
public static class MastInstances
{
    /// <summary>Turn limit while calibrating: high enough that no fixed run meets it.</summary>
    internal const int CalibrationMaxTurns = 200;

    /// <summary>Latency objective while calibrating: an hour of simulated time, which no fixed run takes.</summary>
    internal const int CalibrationSloMs = 3_600_000;

    /// <summary>The instance an episode on <paramref name="seed"/> plays, its latency objective and turn limit calibrated.</summary>
    public static MastInstance Create(MastScenarioDefinition definition, long seed) =>
        MastCalibration.Calibrate(Draw(definition, seed), definition.SloFactor, PipelineSimulator.Run);

    /// <summary>
    /// The seed's draws before calibration: agents, work item, faults. Its limits are the
    /// calibration's generous ones; <see cref="Create"/> replaces them.
    /// </summary>
    public static MastInstance Draw(MastScenarioDefinition definition, long seed)
    {
        ArgumentNullException.ThrowIfNull(definition);
        DeterministicRandom Stream(string purpose) => SeededStreams.Stream(seed, $"mast|{definition.Id}|{purpose}");

        var ids = AgentIds(definition.Pipeline, Stream("agent-ids"));
        var windows = Stream("windows");
        var sizes = definition.Pipeline.Select(a => Window(a.Window, windows)).ToList();
        var items = Stream("items").Next(definition.Items.Min, definition.Items.Max + 1);
        var constraintDraw = Stream("constraints");
        var count = constraintDraw.Next(definition.Constraints.Count.Min, definition.Constraints.Count.Max + 1);
        var constraints = constraintDraw.Shuffle(definition.Constraints.Pool).Take(count).ToList();
        var maxWords = constraints.Contains("max_words") ? 50 * Stream("max-words").Next(4, 11) : 0;

        var faults = new List<(string Kind, int Agent, double Rate, Dictionary<string, string> Parameters)>();
        foreach (var (set, name) in new[] { (definition.MastFaults, "mode"), (definition.BackendFaults, "backend") })
        {
            if (set is null)
            {
                continue;
            }

            var choose = Stream($"{name}-active");
            var active = choose.Next(set.Active.Min, set.Active.Max + 1);
            var taken = new List<int>();
            foreach (var candidate in choose.Shuffle(set.Candidates).Take(active))
            {
                var eligible = MastFaultRules.EligibleAgents(candidate.Kind, candidate.Roles, definition.Pipeline, a => (a.Role, a.InputFormat, a.OutputFormat));
                // Two modes on two agents when the pipeline allows it, so each has its own symptoms.
                var free = eligible.Where(i => !taken.Contains(i)).ToList();
                var agent = Stream($"{name}-agent|{candidate.Kind}").Pick(free.Count > 0 ? free : eligible);
                taken.Add(agent);
                var rate = Math.Round(Stream($"{name}-rate|{candidate.Kind}").NextDouble(candidate.Rate.Min, candidate.Rate.Max), 2);
                var parameters = Parameters(candidate, Stream($"{name}-parameters|{candidate.Kind}"), constraints, items, sizes[agent]);
                faults.Add((candidate.Kind, agent, rate, parameters));
            }
        }

        var decoys = MastPrompts.Decoys(definition.Pipeline.Select(t => t.Role).ToList(), faults.Select(f => f.Agent).ToHashSet(), definition.Tier, Stream("prompt-decoys"));
        var agents = definition.Pipeline.Select((template, i) => new PipelineAgent(
            ids[i], template.Role, template.InputFormat, template.OutputFormat, sizes[i],
            MastPrompts.For(template.Role, template.OutputFormat, constraints, [.. faults.Where(f => f.Agent == i).Select(f => f.Kind), .. decoys[i]]))).ToList();
        return new MastInstance(
            definition.Id, definition.Version, definition.TaskId, definition.Tier, seed, definition.Family, agents,
            new TaskSpec(definition.Goal, items, constraints, maxWords),
            new PipelineLimits(CalibrationSloMs, CalibrationMaxTurns),
            [.. faults.Select(f => new InjectedFault(f.Kind, ids[f.Agent], f.Rate, f.Parameters))]);
    }

    /// <summary>
    /// The kind's parameters for this seed: the document's ranges drawn, and what follows from
    /// the work item (the constraint a spec violation or a lost history breaks, the sections a
    /// reviewer must cover, the history that outgrows the agent's window).
    /// </summary>
    private static Dictionary<string, string> Parameters(CandidateFault candidate, DeterministicRandom random, IReadOnlyList<string> constraints, int items, int window)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in MastFaultRules.Parameters(candidate.Kind))
        {
            var range = candidate.Parameters?.GetValueOrDefault(parameter.Name) ?? parameter.Default;
            if (parameter.Name == MastFaultRules.HistoryRatio)
            {
                var ratio = random.NextDouble(range.Min, range.Max);
                values[MastFaultRules.HistoryTokens] = ((int)Math.Round(window * ratio)).ToString(CultureInfo.InvariantCulture);
                continue;
            }

            var low = range.Min;
            if (parameter.Name == MastFaultRules.Coverage)
            {
                // The review depth that covers every section must be one a config can set.
                low = Math.Max(low, Math.Ceiling(items / (double)MastFaultRules.MaxReviewDepth));
            }

            var value = parameter.Whole
                ? random.Next((int)low, (int)range.Max + 1)
                : random.NextDouble(low, range.Max);
            if (parameter.Name == MastFaultRules.RetryAfterMs)
            {
                value = Math.Round(value / 100) * 100;
            }

            values[parameter.Name] = value.ToString(CultureInfo.InvariantCulture);
        }

        if (candidate.Kind == MastFaultKinds.TaskSpecViolation.Name || candidate.Kind == MastFaultKinds.HistoryLoss.Name)
        {
            values[MastFaultRules.Constraint] = random.Pick(constraints);
        }

        if (candidate.Kind == MastFaultKinds.IncompleteVerification.Name)
        {
            values[MastFaultRules.Sections] = items.ToString(CultureInfo.InvariantCulture);
        }

        return values;
    }

    /// <summary>Ids as operators name agents, <c>&lt;role&gt;-&lt;n&gt;</c>, with n from 1 to 9 and distinct within a role.</summary>
    private static List<string> AgentIds(IReadOnlyList<AgentTemplate> pipeline, DeterministicRandom random)
    {
        var ids = new List<string>();
        foreach (var agent in pipeline)
        {
            string id;
            do
            {
                id = $"{agent.Role}-{random.Next(1, 10)}";
            }
            while (ids.Contains(id));

            ids.Add(id);
        }

        return ids;
    }

    private static int Window(IntRange range, DeterministicRandom random)
    {
        var low = (range.Min + 511) / 512;
        var high = Math.Max(low, range.Max / 512);
        return 512 * random.Next(low, high + 1);
    }
}
