using System.Globalization;
using ChaosLab.Core.Curriculum;

namespace ChaosLab.Web.Model;

/// <summary>One curriculum's page: its state, its decisions and the charts drawn from them.</summary>
public sealed class CurriculumViewModel(CurriculumStore store)
{
    public LoadState State { get; private set; } = LoadState.Loading;

    public string? Error { get; private set; }

    public CurriculumProgress? Progress { get; private set; }

    public CurriculumFigures Figures { get; private set; } = CurriculumFigures.Empty;

    public async Task LoadAsync(string name, CancellationToken cancellationToken = default)
    {
        State = LoadState.Loading;
        if (CurriculumNames.Problem(name) is { } problem)
        {
            State = LoadState.Failed;
            Error = problem;
            return;
        }

        try
        {
            Progress = await store.FindAsync(name, cancellationToken);
            Figures = Progress is null ? CurriculumFigures.Empty : CurriculumFigures.From(Progress);
            State = Progress is null ? LoadState.Empty : LoadState.Ready;
            Error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            State = LoadState.Failed;
            Error = $"The curriculum could not be read: {ex.Message}";
        }
    }
}

/// <summary>
/// A curriculum's progress as charts: the tier of each episode (1 is the easiest tier, marks
/// where it moved up), and the success share of the window each decision looked at.
/// </summary>
public sealed record CurriculumFigures(ChartFigure Tiers, ChartFigure WindowSuccess)
{
    public static CurriculumFigures Empty { get; } = new(ChartFigure.Empty, ChartFigure.Empty);

    public static CurriculumFigures From(CurriculumProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var ladder = progress.State.Rules.Tiers.Select(t => t.Tier).ToList();
        var steps = progress.Steps;
        var episodes = steps.Select(s => s.Sequence.ToString(CultureInfo.InvariantCulture)).ToArray();
        double Level(CurriculumStep step) => ladder.IndexOf(step.Tier) + 1;
        var moves = steps.Where(s => s.Advanced).ToArray();

        var tiers = new ChartFigure(
            steps.Count == 0 ? [] :
            [
                new ChartTrace("tier", episodes, [.. steps.Select(Level)], ChartTraceKind.Line,
                    Text: [.. steps.Select(s => $"episode {s.Sequence}: {s.Tier}, {s.Outcome ?? "not ended"}")]),
                new ChartTrace("moved up", [.. moves.Select(s => s.Sequence.ToString(CultureInfo.InvariantCulture))], [.. moves.Select(Level)], ChartTraceKind.Markers,
                    Text: [.. moves.Select(s => s.Reason)]),
            ],
            new ChartLayout("episode", $"tier (1 = {ladder[0]}, {ladder.Count} = {ladder[^1]})", YAxisMax: ladder.Count + 0.5, XAxisIsCategory: true));

        var windowSuccess = new ChartFigure(
            steps.Count == 0 ? [] :
            [
                new ChartTrace("window success", episodes,
                    [.. steps.Select(s => s.WindowEpisodes == 0 ? 0 : Math.Round(100.0 * s.WindowSuccesses / s.WindowEpisodes, 1))],
                    ChartTraceKind.Line,
                    Text: [.. steps.Select(s => s.Reason)]),
            ],
            new ChartLayout("episode", "window success (%)", YAxisMax: 100, XAxisIsCategory: true));

        return new CurriculumFigures(tiers, windowSuccess);
    }
}
