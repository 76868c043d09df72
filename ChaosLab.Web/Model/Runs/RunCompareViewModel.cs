using ChaosLab.Core.Evaluation;
using ChaosLab.Web.Model.Statistics;

namespace ChaosLab.Web.Model.Runs;

/// <summary>The same item (key) scored in both runs; <see cref="Delta"/> is b − a.</summary>
public sealed record RunItemPair(string Key, string Suite, string Tier, string ScenarioId, RunItem A, RunItem B)
{
    public double Delta => (B.Score ?? 0) - (A.Score ?? 0);
}

/// <summary>
/// Two runs side by side (<c>/web/runs/compare?a=..&amp;b=..</c>): items paired by key (only those
/// scored in both count), the mean score of each run over the pairs, the paired difference b − a
/// with its 95% interval, wins, losses and ties from b's side, and a chart of both by tier.
/// </summary>
public sealed class RunCompareViewModel(RunStore store)
{
    public LoadState State { get; private set; } = LoadState.Loading;

    public string? Error { get; private set; }

    public RunSummary? A { get; private set; }

    public RunSummary? B { get; private set; }

    /// <summary>Pairs, largest difference first.</summary>
    public IReadOnlyList<RunItemPair> Pairs { get; private set; } = [];

    /// <summary>Keys scored in only one of the runs (not compared).</summary>
    public int Unpaired { get; private set; }

    public double? MeanA { get; private set; }

    public double? MeanB { get; private set; }

    public MeanInterval? Delta { get; private set; }

    public int Wins { get; private set; }

    public int Losses { get; private set; }

    public int Ties { get; private set; }

    public ChartFigure TierFigure { get; private set; } = ChartFigure.Empty;

    public async Task LoadAsync(string? a, string? b, CancellationToken cancellationToken = default)
    {
        State = LoadState.Loading;
        Error = null;
        Pairs = [];
        if (string.IsNullOrWhiteSpace(a) || string.IsNullOrWhiteSpace(b))
        {
            Fail("Choose two runs to compare: ?a=<run id>&b=<run id>, or tick two runs on the runs page.");
            return;
        }

        try
        {
            A = await store.FindAsync(a, cancellationToken);
            B = await store.FindAsync(b, cancellationToken);
            if (A is null || B is null)
            {
                Fail($"No run with id '{(A is null ? a : b)}'.");
                return;
            }

            Compare(await store.ItemsAsync(a, cancellationToken), await store.ItemsAsync(b, cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Fail($"The runs could not be read: {ex.Message}");
        }
    }

    private void Compare(IReadOnlyList<RunItem> itemsA, IReadOnlyList<RunItem> itemsB)
    {
        var scoredB = itemsB.Where(i => i.Status == RunItemStatus.Done).ToDictionary(i => i.Key, StringComparer.Ordinal);
        var scoredA = itemsA.Where(i => i.Status == RunItemStatus.Done).ToList();
        Pairs = [.. scoredA
            .Where(i => scoredB.ContainsKey(i.Key))
            .Select(i => new RunItemPair(i.Key, i.Suite, i.Tier, i.ScenarioId, i, scoredB[i.Key]))
            .OrderByDescending(p => Math.Abs(p.Delta)).ThenBy(p => p.Key, StringComparer.Ordinal)];
        Unpaired = scoredA.Count + scoredB.Count - 2 * Pairs.Count;
        MeanA = Pairs.Count == 0 ? null : Pairs.Average(p => p.A.Score ?? 0);
        MeanB = Pairs.Count == 0 ? null : Pairs.Average(p => p.B.Score ?? 0);
        Delta = MeanInterval.FromValues(Pairs.Select(p => p.Delta))?.Within(-1, 1);
        Wins = Pairs.Count(p => p.Delta > PairedComparison.TieTolerance);
        Losses = Pairs.Count(p => p.Delta < -PairedComparison.TieTolerance);
        Ties = Pairs.Count - Wins - Losses;
        TierFigure = BuildTierFigure(Pairs, A!, B!);
        State = Pairs.Count == 0 ? LoadState.Empty : LoadState.Ready;
    }

    /// <summary>Mean score of each run per tier over the paired items, tiers in the plan's order.</summary>
    public static ChartFigure BuildTierFigure(IReadOnlyList<RunItemPair> pairs, RunSummary a, RunSummary b)
    {
        if (pairs.Count == 0)
        {
            return ChartFigure.Empty;
        }

        var tiers = pairs.OrderBy(p => p.A.Sequence).GroupBy(p => p.Tier, StringComparer.Ordinal).ToList();
        IReadOnlyList<string> labels = [.. tiers.Select(t => t.Key)];
        IReadOnlyList<string> counts = [.. tiers.Select(t => $"{t.Count()} pairs")];
        return new ChartFigure(
            [
                new ChartTrace(Label("A", a), labels, [.. tiers.Select(t => t.Average(p => p.A.Score ?? 0))], ChartTraceKind.Bar, Text: counts),
                new ChartTrace(Label("B", b), labels, [.. tiers.Select(t => t.Average(p => p.B.Score ?? 0))], ChartTraceKind.Bar, Text: counts),
            ],
            new ChartLayout(XAxisTitle: "tier", YAxisTitle: "mean score", BarMode: "group", YAxisMax: 1, XAxisIsCategory: true));
    }

    /// <summary>A run as a chart legend names it, e.g. "A: smoke (naive, none)".</summary>
    public static string Label(string side, RunSummary run) => $"{side}: {run.Name} ({run.Agent}, {run.Harness})";

    private void Fail(string message)
    {
        State = LoadState.Failed;
        Error = message;
    }
}
