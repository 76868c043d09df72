using System.Globalization;
using ChaosLab.Core.Agents;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Scenarios.Preview;

/// <summary>
/// Plays a scenario document, published or not, through the suite its format rehearses it on
/// (<see cref="IScenarioFormat.Rehearse"/>): bare sessions in practice mode, never recorded and
/// never sealed.
/// </summary>
public sealed class ScenarioPreview(IEnumerable<IScenarioFormat> formats) : IScenarioPreview
{
    public const int MaxSeeds = 200;

    /// <summary>
    /// How far the best reference agent's mean must stand above the first (naive) one's for the
    /// scenario to count as measuring resilience: a fifth of the score range, well above the
    /// spread 20 seeds leave on a mean.
    /// </summary>
    public const double MinDiscrimination = 0.2;

    public const string NoDiscrimination = "no_discrimination";

    public const string ExploitScores = "exploit_scores";

    private readonly IReadOnlyList<IScenarioFormat> _formats = [.. formats];

    public FaultSchedule Schedule(ScenarioDocument document, long seed, int maxCalls = 50)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCalls, 1);
        var rehearsal = Rehearse(document);
        var calls = new List<FaultScheduleEntry>();
        foreach (var agent in rehearsal.Suite.ReferenceAgents)
        {
            using var session = new StepCollectingSession(rehearsal.Suite.CreateSession());

            // The contract is synchronous (a rehearsal runs no code, so its steps barely wait);
            // playing on the pool keeps a caller's synchronization context out of the episode's awaits.
            Task.Run(() => AgentRunner.RunAsync(agent.Create(), session, Options(document, agent, seed)).AsTask()).GetAwaiter().GetResult();
            calls.AddRange(ToolCalls(agent.Name, session.Steps));
            if (calls.Count >= maxCalls)
            {
                break;
            }
        }

        return new FaultSchedule(seed, FaultPlanText.Describe(rehearsal.FaultPlan(seed)), [.. calls.Take(maxCalls)]);
    }

    public async Task<ScenarioPreviewResult> RunAsync(PreviewRequest request, IProgress<PreviewProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Seeds is < 1 or > MaxSeeds)
        {
            throw new ArgumentException($"A preview plays 1 to {MaxSeeds} seeds, not {request.Seeds}.", nameof(request));
        }

        if (request.FirstSeed > long.MaxValue - request.Seeds + 1)
        {
            throw new ArgumentException($"Seeds from {request.FirstSeed} on would pass the largest seed.", nameof(request));
        }

        var suite = Rehearse(request.Document).Suite;
        var agents = suite.ReferenceAgents.Select(a => (Agent: a, IsExploit: false)).Concat(suite.ExploitAgents.Select(a => (Agent: a, IsExploit: true))).ToList();
        var seeds = request.Seeds;
        var total = agents.Count * seeds;
        var scores = new double[total];
        var completed = 0;
        var gate = new Lock();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = System.Environment.ProcessorCount, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, total), parallel, async (episode, token) =>
        {
            var agent = agents[episode / seeds].Agent;
            using var session = suite.CreateSession();
            var final = await AgentRunner.RunAsync(agent.Create(), session, Options(request.Document, agent, request.FirstSeed + (episode % seeds)), token);

            // A refused action leaves no grade: the agent earned nothing.
            scores[episode] = final?.Grade?.Score ?? 0;
            lock (gate)
            {
                completed++;
                progress?.Report(new PreviewProgress(completed, total));
            }
        });

        var results = agents.Select((a, i) =>
        {
            var own = scores.AsSpan(i * seeds, seeds).ToArray();
            return new AgentPreviewScore(a.Agent.Name, a.IsExploit, seeds, own.Average(), own.Min(), own.Max());
        }).ToList();
        return new ScenarioPreviewResult(results, Warnings(results));
    }

    private static List<PreviewWarning> Warnings(IReadOnlyList<AgentPreviewScore> results)
    {
        var warnings = new List<PreviewWarning>();
        var references = results.Where(r => !r.IsExploit).ToList();
        if (references.Count > 1)
        {
            var naive = references[0];
            var best = references.Skip(1).MaxBy(r => r.MeanScore)!;
            if (best.MeanScore - naive.MeanScore < MinDiscrimination)
            {
                warnings.Add(new PreviewWarning(NoDiscrimination, string.Create(CultureInfo.InvariantCulture,
                    $"The best reference agent, {best.Agent}, averages {best.MeanScore:0.00} against {naive.MeanScore:0.00} for {naive.Agent}: less than {MinDiscrimination:0.00} apart, so the scenario does not tell a resilient agent from a naive one.")));
            }
        }

        foreach (var exploit in results.Where(r => r.IsExploit && r.MeanScore > ScenarioPreviewResult.ExploitCeiling))
        {
            warnings.Add(new PreviewWarning(ExploitScores, string.Create(CultureInfo.InvariantCulture,
                $"The cheat {exploit.Agent} averages {exploit.MeanScore:0.000}, above {ScenarioPreviewResult.ExploitCeiling:0.00}: the scenario pays for answers nobody found.")));
        }

        return warnings;
    }

    /// <summary>The tool calls of one episode, each with the fault its decisions fired (at most one per call).</summary>
    private static IEnumerable<FaultScheduleEntry> ToolCalls(string agent, IReadOnlyList<StepResult> steps)
    {
        // Counts calls that had no fault decision to read the occurrence from (a tool no rule covers).
        var made = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            if (step.Record.Action is not { } action || action["type"]?.ToString() != "call_tool")
            {
                continue;
            }

            var tool = action["tool_name"]?.ToString() ?? "";
            var arguments = action["arguments"];
            var key = tool + "\n" + CanonicalArguments.Canonicalize(arguments);
            var attempt = step.Record.Faults.Count > 0 ? step.Record.Faults[0].Inputs.Occurrence + 1 : made.GetValueOrDefault(key) + 1;
            made[key] = attempt;
            var fired = step.Record.Faults.FirstOrDefault(d => d.Fired);
            yield return new FaultScheduleEntry(agent, step.Record.Index, tool, CanonicalJson.Serialize(arguments), attempt,
                fired?.Kind, fired is null ? "" : $"{fired.Trigger}: {fired.Reason}");
        }
    }

    private static ResetOptions Options(ScenarioDocument document, ReferenceAgent agent, long seed) => new()
    {
        ScenarioId = document.Id,
        Seed = seed,
        Mode = EpisodeMode.Practice,
        EpisodeId = string.Create(CultureInfo.InvariantCulture, $"preview-{agent.Name}-{seed}"),
    };

    private ScenarioRehearsal Rehearse(ScenarioDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var format = _formats.FirstOrDefault(f => string.Equals(f.Suite, document.Suite, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"No suite '{document.Suite}' plays scenario documents here.", nameof(document));
        var errors = format.Check(document.Content);
        return errors.Count == 0
            ? format.Rehearse(document)
            : throw new ArgumentException($"Scenario {document.Id} is not valid: " + string.Join("; ", errors.Select(e => $"{(e.Path.Length == 0 ? "/" : e.Path)}: {e.Message}")), nameof(document));
    }
}
