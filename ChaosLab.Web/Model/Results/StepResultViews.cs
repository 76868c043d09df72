namespace ChaosLab.Web.Model.Results;

/// <summary>
/// What the replay draws from a step's result beyond its JSON: the suite-neutral conventions
/// <see cref="MessageFlow"/>, <see cref="TrialSummary"/> and <see cref="ConfigChange"/>, found by
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

    public static StepResultViews None { get; } = new([], [], null);

    private StepResultViews(IReadOnlyList<MessageFlow> flows, IReadOnlyList<TrialSummary> trials, ConfigChange? configChange)
    {
        Flows = flows;
        Trials = trials;
        ConfigChange = configChange;
    }

    public IReadOnlyList<MessageFlow> Flows { get; }

    public IReadOnlyList<TrialSummary> Trials { get; }

    public ConfigChange? ConfigChange { get; }

    public bool IsEmpty => Flows.Count == 0 && Trials.Count == 0 && ConfigChange is null;

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

        var flows = ResultJson.FindAll(root, MessageFlow.IsTrace)
            .Select(node => MessageFlow.Read(node, truthful)).OfType<MessageFlow>().Take(MaxPerConvention).ToList();
        var trials = ResultJson.FindAll(root, TrialSummary.PropertyName)
            .Select(TrialSummary.Read).OfType<TrialSummary>().Take(MaxPerConvention).ToList();
        var configChange = ResultJson.FindAll(root, ConfigChange.PropertyName)
            .Select(ConfigChange.Read).OfType<ConfigChange>().FirstOrDefault();
        return flows.Count == 0 && trials.Count == 0 && configChange is null ? None : new StepResultViews(flows, trials, configChange);
    }
}
