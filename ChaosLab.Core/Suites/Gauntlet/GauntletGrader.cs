using ChaosLab.Core.Suites.Gauntlet.Harness;
using ChaosLab.Core.Suites.Gauntlet.Pieces;

namespace ChaosLab.Core.Suites.Gauntlet;

/// <summary>
/// Grades code on a draw of a piece's cases: generates them, runs the code on them in the
/// sandbox, checks the report against the expectations that never left this process, scores.
/// The same path grades a submission (hidden draw) and <c>run_examples</c> (public draw).
/// </summary>
public sealed class GauntletGrader(GauntletHarness harness)
{
    public async Task<GauntletGrading> GradeAsync(IFragilePiece piece, string code, CaseDraw draw, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(piece);
        ArgumentNullException.ThrowIfNull(draw);
        var cases = piece.Generate(draw);
        var run = await harness.RunAsync(code, piece.EntryPoint, piece.Dependencies, cases.Cases, cancellationToken: cancellationToken);
        if (run.Report is not { } report)
        {
            return new GauntletGrading(cases, run, [], GauntletScorer.Score([], draw.Difficulty.GradedTiers, piece.RequirementTiers), run.Failure);
        }

        if (report.LoadError is { } load)
        {
            var message = $"the code does not compile: {load.Type}: {load.Message}" + (load.Where is { } where ? $" ({where})" : string.Empty);
            return new GauntletGrading(cases, run, [], GauntletScorer.Score([], draw.Difficulty.GradedTiers, piece.RequirementTiers), message);
        }

        var verdicts = cases.Check(report);
        var graded = verdicts
            .Select(v => v with { Checks = [.. v.Checks.Where(c => draw.Difficulty.GradedTiers.Contains(c.Tier))] })
            .ToList();
        return new GauntletGrading(cases, run, graded, GauntletScorer.Score(graded, draw.Difficulty.GradedTiers, piece.RequirementTiers), null);
    }
}

/// <summary>One graded run: the cases, what the sandbox did, the verdicts of the graded tiers, the score.</summary>
/// <param name="Failure">Why nothing could be checked (the code does not compile, the run was stopped, no sandbox); the score is then 0.</param>
public sealed record GauntletGrading(PieceCases Cases, HarnessRun Run, IReadOnlyList<CaseVerdict> Verdicts, GauntletScore Score, string? Failure);
