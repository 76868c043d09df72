namespace ChaosLab.Web.Model.Results;

/// <summary>
/// What the replay draws from a step's result beyond its JSON: the suite-neutral conventions
/// <see cref="MessageFlow"/>, <see cref="TrialSummary"/>, <see cref="ConfigChange"/>,
/// <see cref="CodeChange"/>, <see cref="SandboxRun"/> and <see cref="TierVerdicts"/>, found by
/// property name (a trace also by its shape) at the top of the result or nested a few levels in
/// (docs/architecture.md).
/// </summary>
/// <remarks>
/// The clean result is read when it is visible (the episode is over): it is the truth and the
/// only source of fault labels. While an episode runs only the delivered result is disclosed, and
/// a flow read from it never shows a fault, even if the suite wrote one there.
/// </remarks>
public sealed class StepResultViews
{
    /// <summary>Objects of one convention drawn per step at most.</summary>
    public const int MaxPerConvention = 4;

    public static StepResultViews None { get; } = new([], [], null, null, [], []);

    private StepResultViews(
        IReadOnlyList<MessageFlow> flows,
        IReadOnlyList<TrialSummary> trials,
        ConfigChange? configChange,
        CodeChange? codeChange,
        IReadOnlyList<SandboxRun> sandboxRuns,
        IReadOnlyList<TierVerdicts> verdicts)
    {
        Flows = flows;
        Trials = trials;
        ConfigChange = configChange;
        CodeChange = codeChange;
        SandboxRuns = sandboxRuns;
        Verdicts = verdicts;
    }

    public IReadOnlyList<MessageFlow> Flows { get; }

    public IReadOnlyList<TrialSummary> Trials { get; }

    public ConfigChange? ConfigChange { get; }

    public CodeChange? CodeChange { get; }

    public IReadOnlyList<SandboxRun> SandboxRuns { get; }

    public IReadOnlyList<TierVerdicts> Verdicts { get; }

    public bool IsEmpty => Flows.Count == 0 && Trials.Count == 0 && ConfigChange is null && CodeChange is null && SandboxRuns.Count == 0 && Verdicts.Count == 0;

    /// <param name="clean">The clean result, null while it is not disclosed.</param>
    /// <param name="delivered">What the agent received.</param>
    public static StepResultViews Read(string? clean, string? delivered)
    {
        var (root, truthful) = ResultJson.ParseObject(clean) is { } cleanObject
            ? (cleanObject, true)
            : (ResultJson.ParseObject(delivered), false);
        if (root is null)
        {
            return None;
        }

        var views = new StepResultViews(
            [.. ResultJson.FindAll(root, MessageFlow.IsTrace).Select(node => MessageFlow.Read(node, truthful)).OfType<MessageFlow>().Take(MaxPerConvention)],
            [.. ResultJson.FindAll(root, TrialSummary.PropertyName).Select(TrialSummary.Read).OfType<TrialSummary>().Take(MaxPerConvention)],
            ResultJson.FindAll(root, ConfigChange.PropertyName).Select(ConfigChange.Read).OfType<ConfigChange>().FirstOrDefault(),
            ResultJson.FindAll(root, CodeChange.PropertyName).Select(CodeChange.Read).OfType<CodeChange>().FirstOrDefault(),
            [.. ResultJson.FindAll(root, SandboxRun.PropertyName).Select(SandboxRun.Read).OfType<SandboxRun>().Take(MaxPerConvention)],
            [.. ResultJson.FindAll(root, TierVerdicts.PropertyName).Select(TierVerdicts.Read).OfType<TierVerdicts>().Take(MaxPerConvention)]);
        return views.IsEmpty ? None : views;
    }
}
