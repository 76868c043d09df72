using System.Globalization;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Persistence;
using ChaosLab.Web.Model.Statistics;
using Microsoft.Extensions.Primitives;

namespace ChaosLab.Web.Model;

/// <summary>
/// Charts over a filtered set of graded episodes (the episode browser's filters): score
/// distribution per agent, score by tier per agent, recovery rate per fault kind, steps to
/// answer, and where in an episode faults fire. Every number is computed here, from at most
/// <see cref="SampleLimit"/> of the newest matching episodes.
/// </summary>
public sealed class AnalyticsViewModel(EpisodeStore store, SuiteCatalog catalog)
{
    public const int SampleLimit = 5_000;

    private readonly FaultPalette _palette = new(catalog);

    private string? _loadedKey;

    public EpisodeQuery Query { get; private set; } = new();

    public LoadState State { get; private set; } = LoadState.Loading;

    public string? Error { get; private set; }

    public EpisodeFacets Facets { get; private set; } = EpisodeFacets.Empty;

    /// <summary>Episodes analysed, and how many matched (more than analysed when the sample is capped).</summary>
    public (int Analysed, int Matched) Coverage { get; private set; }

    public AnalyticsResult Result { get; private set; } = AnalyticsResult.Empty;

    public async Task LoadAsync(IReadOnlyDictionary<string, StringValues> parameters, CancellationToken cancellationToken = default)
    {
        var key = string.Join('&', parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        if (key == _loadedKey && State != LoadState.Failed)
        {
            return;
        }

        _loadedKey = key;
        if (EpisodeFilter.Parse(parameters, out var errors) is not { } query)
        {
            State = LoadState.Failed;
            Error = "The filters in the address are not valid: " + string.Join(" ", errors);
            return;
        }

        Query = query;
        State = LoadState.Loading;
        try
        {
            if (Facets == EpisodeFacets.Empty)
            {
                Facets = await store.FacetsAsync(cancellationToken);
            }

            var (episodes, matched) = await store.SampleAsync(
                query with { GradedOnly = true, Sort = EpisodeSortKey.StartedAt, Descending = true }, SampleLimit, cancellationToken);
            var faults = await store.FiredFaultsAsync([.. episodes.Select(e => e.Id)], cancellationToken);
            Coverage = (episodes.Count, matched);
            Result = AnalyticsResult.Compute(episodes, faults, _palette);
            State = episodes.Count == 0 ? LoadState.Empty : LoadState.Ready;
            Error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _loadedKey = null;
            State = LoadState.Failed;
            Error = $"The episodes could not be analysed: {ex.Message}";
        }
    }
}

/// <summary>The analytics page's numbers and the figures drawn from them.</summary>
public sealed record AnalyticsResult(
    IReadOnlyDictionary<string, BoxSummary> ScoresByAgent,
    IReadOnlyDictionary<(string Agent, string Tier), MeanInterval> ScoresByTier,
    IReadOnlyList<RecoveryRate> Recovery,
    IReadOnlyDictionary<string, Histogram> StepsByAgent,
    FaultTimeline FaultTimeline,
    ChartFigure ScoreDistribution,
    ChartFigure ScoreByTier,
    ChartFigure RecoveryRates,
    ChartFigure StepsToAnswer,
    ChartFigure FaultsByStep)
{
    public static AnalyticsResult Empty { get; } = Compute([], [], new FaultPalette(new SuiteCatalog([])));

    /// <summary>Tiers in the order of difficulty the suites use; others follow by name.</summary>
    private static readonly string[] TierOrder = ["warmup", "beginner", "easy", "medium", "intermediate", "hard", "advanced", "expert"];

    /// <param name="palette">Colours the fault kinds, the same in both fault charts.</param>
    public static AnalyticsResult Compute(IReadOnlyList<EpisodeSummary> episodes, IReadOnlyList<FiredFault> faults, FaultPalette palette)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        ArgumentNullException.ThrowIfNull(faults);
        ArgumentNullException.ThrowIfNull(palette);
        var graded = episodes.Where(e => e.Score is not null).ToArray();
        var agents = graded.Select(e => e.Agent).Distinct().Order(StringComparer.Ordinal).ToArray();
        var tiers = graded.Select(e => e.Tier).Distinct()
            .OrderBy(t => Array.IndexOf(TierOrder, t) is var i && i < 0 ? int.MaxValue : i).ThenBy(t => t, StringComparer.Ordinal)
            .ToArray();

        var boxes = agents.ToDictionary(a => a, a => BoxSummary.From(graded.Where(e => e.Agent == a).Select(e => e.Score!.Value))!, StringComparer.Ordinal);
        var byTier = graded
            .GroupBy(e => (e.Agent, e.Tier))
            .ToDictionary(g => g.Key, g => MeanInterval.FromValues(g.Select(e => e.Score!.Value))!.Within(0, 1));
        var recovery = RecoveryRate.Compute(graded);
        var steps = agents.ToDictionary(a => a, a => graded.Where(e => e.Agent == a).Select(e => e.StepCount).ToArray(), StringComparer.Ordinal);
        var allSteps = Histogram.OfIntegers(steps.Values.SelectMany(s => s));
        var stepLabels = allSteps.Labels;
        var stepHistograms = agents.ToDictionary(a => a, a => Spread(Histogram.OfIntegers(steps[a]), stepLabels), StringComparer.Ordinal);
        var timeline = FaultTimeline.Compute(faults);

        var chartBoxes = agents.ToDictionary(
            a => a, a => new ChartBox(boxes[a].LowerWhisker, boxes[a].Q1, boxes[a].Median, boxes[a].Q3, boxes[a].UpperWhisker, boxes[a].Mean), StringComparer.Ordinal);
        var flat = agents.Where(a => chartBoxes[a].IsFlat).ToArray();
        List<ChartTrace> distribution = agents.Length == 0 ? [] :
        [
            new ChartTrace("score", agents, [.. agents.Select(a => boxes[a].Median)], ChartTraceKind.Box,
                Boxes: [.. agents.Select(a => chartBoxes[a])],
                Text: [.. agents.Select(a => $"n = {boxes[a].Count}")]),
        ];
        if (flat.Length > 0)
        {
            // A box of equal scores has no height: a dot shows where it is (and that it is there at all).
            distribution.Add(new ChartTrace("all scores equal", flat, [.. flat.Select(a => boxes[a].Median)], ChartTraceKind.Points,
                Text: [.. flat.Select(a => $"all {boxes[a].Count} scores {boxes[a].Median.ToString("0.###", CultureInfo.InvariantCulture)}")]));
        }

        // The axis starts below 0 so a box at 0 is not hidden in the axis line.
        var scoreDistribution = new ChartFigure(distribution, new ChartLayout("agent", "score", YAxisMax: 1.05, XAxisIsCategory: true, YAxisMin: -0.05));

        var scoreByTier = new ChartFigure(
            [.. agents.Select(a => new ChartTrace(
                a,
                tiers,
                [.. tiers.Select(t => byTier.TryGetValue((a, t), out var m) ? m.Mean : 0)],
                ChartTraceKind.Bar,
                ErrorY: [.. tiers.Select(t => byTier.TryGetValue((a, t), out var m) ? m.HalfWidth ?? 0 : 0)],
                Text: [.. tiers.Select(t => byTier.TryGetValue((a, t), out var m) ? $"n = {m.Count}" : "no episodes")]))],
            new ChartLayout("tier", "mean score (95% t interval)", BarMode: "group", YAxisMax: 1.05, XAxisIsCategory: true));

        var recoveryRates = new ChartFigure(
            recovery.Count == 0 ? [] :
            [
                new ChartTrace("recovered", [.. recovery.Select(r => r.Kind)], [.. recovery.Select(r => Math.Round(100 * r.Rate, 1))], ChartTraceKind.Bar,
                    Text: [.. recovery.Select(r => $"{r.Recovered} of {r.Fired} correct")],
                    PointColors: palette.ColorsFor(recovery.Select(r => r.Kind))),
            ],
            new ChartLayout("fault kind", "% of episodes still correct", YAxisMax: 100, XAxisIsCategory: true));

        var stepsToAnswer = new ChartFigure(
            [.. agents.Select(a => new ChartTrace(a, stepLabels, [.. stepHistograms[a].Select(c => (double)c)], ChartTraceKind.Bar))],
            new ChartLayout("steps", "episodes", BarMode: "group", XAxisIsCategory: true));

        var stepIndexLabels = timeline.StepIndices.Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var kindColors = palette.ColorsFor(timeline.Counts.Keys);
        var faultsByStep = new ChartFigure(
            [.. timeline.Counts.Select((k, i) => new ChartTrace(k.Key, stepIndexLabels, [.. k.Value.Select(c => (double)c)], ChartTraceKind.Bar, Color: kindColors[i]))],
            new ChartLayout("step index", "fired faults", BarMode: "stack", XAxisIsCategory: true));

        return new AnalyticsResult(boxes, byTier, recovery,
            agents.ToDictionary(a => a, a => Histogram.OfIntegers(steps[a]), StringComparer.Ordinal),
            timeline, scoreDistribution, scoreByTier, recoveryRates, stepsToAnswer, faultsByStep);
    }

    // A histogram's counts laid out on a shared set of labels (agents' step ranges differ).
    private static int[] Spread(Histogram histogram, IReadOnlyList<string> labels)
    {
        var counts = histogram.Labels.Zip(histogram.Counts).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        return [.. labels.Select(l => counts.GetValueOrDefault(l))];
    }
}
