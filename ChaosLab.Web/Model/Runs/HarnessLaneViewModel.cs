using ChaosLab.Core.Agents;
using ChaosLab.Core.Evaluation;
using ChaosLab.Core.Harness;

namespace ChaosLab.Web.Model.Runs;

/// <summary>One harness intervention as the replay's lane shows it.</summary>
/// <param name="LayerTitle">What the layer does, e.g. "action realization" (the layer name itself when unknown).</param>
public sealed record LaneIntervention(int Step, string Layer, string LayerTitle, string Trigger, string Change);

/// <summary>
/// The agent's side of a finished episode in the replay: the harness interventions step by step
/// (the lane beside the step timeline), the conversation and every raw model reply. Episodes
/// without an agent trace (played over the wire, or still running) show none of it.
/// </summary>
public sealed class HarnessLaneViewModel(AgentTraceStore traces)
{
    /// <summary>Longest text shown before "show all": replies and prompts can run to many kilobytes.</summary>
    public const int TextCap = 2000;

    /// <summary>The harness label of an agent that plays with no layer at all.</summary>
    public const string NoHarness = "none";

    private ILookup<int, LaneIntervention> _byStep = Array.Empty<LaneIntervention>().ToLookup(i => i.Step);

    public StoredAgentTrace? Trace { get; private set; }

    /// <summary>The episode read and found without a trace, or not read yet.</summary>
    public bool HasTrace => Trace is not null;

    public string? Error { get; private set; }

    /// <summary>
    /// The lane is drawn for an agent with harness layers (even when none intervened, which is
    /// worth seeing) or with interventions; a scripted agent plays without a harness.
    /// </summary>
    public bool ShowsLane => Trace is { } trace && (trace.Harness != NoHarness || trace.Interventions.Count > 0);

    /// <summary>A model's conversation is shown; a scripted agent has none to show.</summary>
    public bool ShowsConversation => Trace is { } trace && (trace.Conversation.Count > 0 || trace.ModelCalls.Count > 0);

    public IReadOnlyList<LaneIntervention> Interventions { get; private set; } = [];

    /// <summary>How many interventions each layer made, in layer order.</summary>
    public IReadOnlyList<(string Layer, int Count)> PerLayer { get; private set; } = [];

    public async Task LoadAsync(string episodeId, CancellationToken cancellationToken = default)
    {
        try
        {
            Trace = await traces.FindAsync(episodeId, cancellationToken);
            Error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Trace = null;
            Error = $"The agent's trace could not be read: {ex.Message}";
        }

        Interventions = [.. (Trace?.Interventions ?? []).Select(i => new LaneIntervention(i.Step, i.Layer, LayerTitle(i.Layer), i.Trigger, i.Change))];
        _byStep = Interventions.ToLookup(i => i.Step);
        PerLayer = [.. Interventions.GroupBy(i => i.Layer, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count()))];
    }

    /// <summary>The interventions that belong to <paramref name="step"/>, in the order they happened.</summary>
    public IEnumerable<LaneIntervention> At(int step) => _byStep[step];

    /// <summary>The model calls that led to <paramref name="step"/>.</summary>
    public IEnumerable<ModelCall> CallsBefore(int step) => Trace?.ModelCalls.Where(c => c.BeforeStep == step) ?? [];

    /// <summary>"action realization" for "h2"; an unknown layer name reads as itself.</summary>
    public static string LayerTitle(string layer)
    {
        foreach (var known in Enum.GetValues<HarnessLayer>())
        {
            if (known.Name() == layer)
            {
                return known.Title();
            }
        }

        return layer;
    }

    /// <summary>The first <see cref="TextCap"/> characters of <paramref name="text"/>, and whether more was cut.</summary>
    public static (string Shown, bool Capped) Cap(string text) =>
        text.Length <= TextCap ? (text, false) : (text[..TextCap], true);
}
