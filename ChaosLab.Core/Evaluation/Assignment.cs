using ChaosLab.Core.Harness;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// What an evaluation plays (the seed's <c>configs/assignments/*.yaml</c>): an agent with harness
/// switches, the suites, tasks, tiers and scenarios, how many sealed seeds of each, trials,
/// concurrency and where to write the results. In YAML:
/// <code>
/// name: smoke                      # names the run and the derivation of its sealed seeds
/// agent: local-qwen                # a profile of the agents file, or reference:&lt;name&gt; for a scripted agent
/// agents_file: agents.yaml         # relative to the assignment file
/// harness: { enabled: true, h2: true, h3: true, h4: true, h5: true, h5_top_k: 3 }
/// tasks:
///   - suite: tools
///     tiers: [warmup, beginner]
///   - suite: gauntlet
///     scenarios: [gauntlet-stream-warmup]
/// split: test                      # seeds of another split never overlap
/// seeds: 3                         # per scenario (or a list of seed indices: [1, 2, 5])
/// trials: 1
/// concurrency: 2
/// output: runs/smoke               # relative to the assignment file
/// </code>
/// </summary>
/// <param name="SeedIndices">1-based indices of the sealed seeds each scenario is played on.</param>
/// <param name="Output">Directory for <c>runs.jsonl</c>, <c>overall.json</c> and trajectories (null: none written).</param>
public sealed record Assignment(
    string Name,
    AgentChoice Agent,
    HarnessOptions Harness,
    IReadOnlyList<TaskSelection> Tasks,
    string Split,
    IReadOnlyList<int> SeedIndices,
    int Trials,
    int Concurrency,
    string? Output);

/// <summary>Which agent plays: a model profile (from <paramref name="ProfilesFile"/>) or a suite's scripted reference agent.</summary>
/// <param name="Profile">A profile name of the agents file.</param>
/// <param name="Reference">A reference agent's name (no model needed; its episodes use its reserved name).</param>
public sealed record AgentChoice(string? Profile, string? ProfilesFile, string? Reference);

/// <summary>Part of a suite to play: a task, tiers and scenarios narrow it (null means all).</summary>
public sealed record TaskSelection(string Suite, string? TaskId, IReadOnlyList<string>? Tiers, IReadOnlyList<string>? Scenarios);
