namespace ChaosLab.Core.Suites.Mast.Pipeline;

/// <summary>One simulated agent of a pipeline instance, as an operator's pipeline definition shows it.</summary>
/// <param name="Id">Its id in traces and logs (e.g. <c>researcher-3</c>); drawn per seed.</param>
/// <param name="Role">One of <see cref="AgentRoles.All"/>.</param>
/// <param name="InputFormat">The format it parses its input in (json, yaml or text).</param>
/// <param name="OutputFormat">The format it emits.</param>
/// <param name="ContextWindowTokens">How much conversation history it can hold.</param>
/// <param name="RoleSpec">Its system prompt as deployed (maybe as vague as "You are a helpful assistant.").</param>
public sealed record PipelineAgent(string Id, string Role, string InputFormat, string OutputFormat, int ContextWindowTokens, string RoleSpec);

/// <summary>What the pipeline is asked to produce on every run.</summary>
/// <param name="Goal">The task statement every run works on (its topic varies per run).</param>
/// <param name="Items">How many items (facts, steps, sections) a complete output has.</param>
/// <param name="Constraints">Constraint words from <see cref="AgentRoles.Constraints"/> the output must honour.</param>
/// <param name="MaxWords">The word limit when <c>max_words</c> is a constraint.</param>
public sealed record TaskSpec(string Goal, int Items, IReadOnlyList<string> Constraints, int MaxWords);

/// <summary>The operational limits a run is judged against.</summary>
/// <param name="SloMs">A run slower than this fails (the pipeline's latency objective).</param>
/// <param name="MaxTurns">A run that takes more agent turns than this is stopped and fails.</param>
public sealed record PipelineLimits(int SloMs, int MaxTurns);
