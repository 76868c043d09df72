using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Harness;
using ChaosLab.Core.Statistics;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// What each harness layer is worth: one row per ablation variant (all layers, none, each layer
/// off in turn) over the items it scored, with the mean score and its 95% Student-t interval,
/// the success rate and its 95% Wilson interval, mean steps, mean interventions per layer, and
/// the change of the mean score against all layers on. The variants play the same sealed seeds,
/// so the rows compare like with like.
/// </summary>
public sealed record AblationTable(string AblationId, IReadOnlyList<AblationRow> Rows)
{
    public const string MarkdownFile = "ablation.md";
    public const string JsonFile = "ablation.json";

    private static readonly string[] Layers = [.. Enum.GetValues<HarnessLayer>().Select(l => l.Name())];

    public static AblationTable From(string ablationId, IReadOnlyList<(RunSummary Run, IReadOnlyList<RunItem> Items)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var rows = runs
            .OrderBy(r => Order(r.Run.Variant))
            .Select(r => Row(r.Run, r.Items))
            .ToList();
        var all = rows.FirstOrDefault(r => r.Variant == "all")?.MeanScore;
        return new AblationTable(ablationId, [.. rows.Select(r => r with { DeltaVsAll = r.MeanScore - all })]);
    }

    public static async Task<AblationTable> LoadAsync(RunStore store, string ablationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var runs = new List<(RunSummary, IReadOnlyList<RunItem>)>();
        foreach (var run in await store.AblationAsync(ablationId, cancellationToken))
        {
            runs.Add((run, await store.ItemsAsync(run.Id, cancellationToken)));
        }

        return From(ablationId, runs);
    }

    /// <summary>Writes <c>ablation.md</c> and <c>ablation.json</c> into <paramref name="directory"/>.</summary>
    public async Task WriteAsync(string directory, CancellationToken cancellationToken = default)
    {
        await OutputFiles.WriteAsync(Path.Combine(directory, MarkdownFile), ToMarkdown(), cancellationToken);
        await OutputFiles.WriteJsonAsync(Path.Combine(directory, JsonFile), ToJson(), cancellationToken);
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Ablation {AblationId}\n\n");
        text.Append("| variant | harness | n | errors | mean score [95% CI] | Δ vs all | success [95% CI] | mean steps |");
        foreach (var layer in Layers)
        {
            text.Append(CultureInfo.InvariantCulture, $" {layer} / ep |");
        }

        text.Append("\n|---|---|---:|---:|---|---:|---|---:|");
        text.Append(string.Concat(Layers.Select(_ => "---:|")));
        text.Append('\n');
        foreach (var row in Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {row.Variant} | {row.Harness} | {row.N} | {row.Errors} | {Mean(row.MeanScore, row.ScoreInterval)} | {Signed(row.DeltaVsAll)} | {Rate(row.SuccessRate, row.SuccessInterval)} | {Number(row.MeanSteps, "0.0")} |");
            foreach (var layer in Layers)
            {
                text.Append(CultureInfo.InvariantCulture, $" {Number(row.MeanInterventions.TryGetValue(layer, out var mean) ? mean : null, "0.00")} |");
            }

            text.Append('\n');
        }

        text.Append("\nMean score with a two-sided 95% Student-t interval (cut to [0, 1]); success rate with a 95% Wilson interval; ")
            .Append("n counts the scored episodes (errors are episodes the agent failed on, left out); layer columns: mean interventions per episode.\n");
        return text.ToString();
    }

    public JsonObject ToJson() => new()
    {
        ["ablation_id"] = AblationId,
        ["rows"] = new JsonArray([.. Rows.Select(r => (JsonNode)new JsonObject
        {
            ["variant"] = r.Variant,
            ["harness"] = r.Harness,
            ["run_id"] = r.RunId,
            ["n"] = r.N,
            ["errors"] = r.Errors,
            ["mean_score"] = Round(r.MeanScore),
            ["mean_score_ci95"] = Interval(r.ScoreInterval),
            ["delta_vs_all"] = Round(r.DeltaVsAll),
            ["success_rate"] = Round(r.SuccessRate),
            ["success_rate_ci95"] = Interval(r.SuccessInterval),
            ["mean_steps"] = Round(r.MeanSteps),
            ["mean_interventions"] = new JsonObject([.. r.MeanInterventions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Round(p.Value)))]),
        })]),
    };

    private static AblationRow Row(RunSummary run, IReadOnlyList<RunItem> items)
    {
        var done = items.Where(i => i.Status == RunItemStatus.Done).ToList();
        var scores = done.Select(i => i.Score ?? 0).ToList();
        var successes = done.Count(i => i.Success == true);
        var interventions = Layers.ToDictionary(l => l, l => done.Count == 0 ? 0 : done.Average(i => (double)i.Interventions.GetValueOrDefault(l)), StringComparer.Ordinal);
        return new AblationRow(
            run.Variant ?? run.Harness,
            run.Harness,
            run.Id,
            done.Count,
            items.Count(i => i.Status == RunItemStatus.Error),
            done.Count == 0 ? null : scores.Average(),
            ScoreInterval(scores),
            done.Count == 0 ? null : successes / (double)done.Count,
            Wilson.Interval95(successes, done.Count),
            done.Count == 0 ? null : done.Average(i => (double)(i.Steps ?? 0)),
            interventions,
            null);
    }

    /// <summary>mean ± t(0.975, n − 1)·s/√n, cut to [0, 1] where scores lie; none for fewer than two scores.</summary>
    private static (double Lower, double Upper)? ScoreInterval(List<double> scores)
    {
        if (scores.Count < 2)
        {
            return null;
        }

        var mean = scores.Average();
        var variance = scores.Sum(s => (s - mean) * (s - mean)) / (scores.Count - 1);
        var half = StudentT.Quantile975(scores.Count - 1) * Math.Sqrt(variance / scores.Count);
        return (Math.Max(0, mean - half), Math.Min(1, mean + half));
    }

    private static int Order(string? variant) => EvaluationService.AblationVariants.ToList().IndexOf(variant ?? "") is var i and >= 0 ? i : int.MaxValue;

    private static string Mean(double? mean, (double Lower, double Upper)? interval) =>
        mean is null ? "-" : interval is { } ci ? $"{Number(mean, "0.000")} [{Number(ci.Lower, "0.000")}, {Number(ci.Upper, "0.000")}]" : Number(mean, "0.000");

    private static string Rate(double? rate, (double Lower, double Upper)? interval) =>
        rate is null ? "-" : interval is { } ci ? $"{Number(rate * 100, "0.0")}% [{Number(ci.Lower * 100, "0.0")}, {Number(ci.Upper * 100, "0.0")}]" : $"{Number(rate * 100, "0.0")}%";

    private static string Signed(double? value) => value is { } v ? v.ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture) : "-";

    private static string Number(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 6) : null;

    private static JsonArray? Interval((double Lower, double Upper)? interval) =>
        interval is { } ci ? [Math.Round(ci.Lower, 6), Math.Round(ci.Upper, 6)] : null;
}

/// <summary>One variant of an ablation.</summary>
/// <param name="N">Scored episodes (items done).</param>
/// <param name="Errors">Items the agent failed on (left out of every mean).</param>
/// <param name="MeanInterventions">Per layer ("h2".."h5"), interventions per scored episode.</param>
/// <param name="DeltaVsAll">Mean score minus that of the "all" variant.</param>
public sealed record AblationRow(
    string Variant,
    string Harness,
    string RunId,
    int N,
    int Errors,
    double? MeanScore,
    (double Lower, double Upper)? ScoreInterval,
    double? SuccessRate,
    (double Lower, double Upper)? SuccessInterval,
    double? MeanSteps,
    IReadOnlyDictionary<string, double> MeanInterventions,
    double? DeltaVsAll);
