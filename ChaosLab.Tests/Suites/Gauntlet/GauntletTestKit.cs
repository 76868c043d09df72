using System.Globalization;
using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using ChaosLab.Core.Suites.Gauntlet.Pieces;
using ChaosLab.Tests.Core.Sandbox;

namespace ChaosLab.Tests.Suites.Gauntlet;

/// <summary>Grading in the real sandbox for gauntlet tests, and the tests' own hardened solutions.</summary>
internal static class GauntletTestKit
{
    /// <summary>Seeds per tier for baseline and ranking tests (the issue asks for 20); <c>CHAOSLAB_GAUNTLET_SEEDS</c> overrides.</summary>
    public static int Seeds { get; } = int.TryParse(System.Environment.GetEnvironmentVariable("CHAOSLAB_GAUNTLET_SEEDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 20;

    public static GauntletGrader Grader { get; } = new(new GauntletHarness(SharedSandbox.Instance));

    /// <summary>A correct hardened solution, kept with the tests (never embedded in or served by the product).</summary>
    /// <param name="name">The file under Suites/Gauntlet/Solutions without extension, e.g. <c>stream_hardened</c>.</param>
    public static string Solution(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Suites", "Gauntlet", "Solutions", name + ".py")).ReplaceLineEndings("\n");

    /// <summary>Grades code on the hidden draw of a built-in tier.</summary>
    public static Task<GauntletGrading> GradeAsync(IFragilePiece piece, string code, string tier, long seed) =>
        Grader.GradeAsync(piece, code, new CaseDraw(seed, CaseDraw.HiddenStream, GauntletDifficulty.ForTier(piece, tier)));

    /// <summary>Mean hidden-draw score per tier over <see cref="Seeds"/> seeds (seeds 1..N), grading two at a time.</summary>
    public static async Task<IReadOnlyDictionary<string, double>> MeanScoresAsync(IFragilePiece piece, string code, int? seeds = null)
    {
        var means = new Dictionary<string, double>();
        foreach (var tier in GauntletDifficulty.Tiers)
        {
            var gradings = await Task.WhenAll(Enumerable.Range(1, seeds ?? Seeds).Select(seed => GradeAsync(piece, code, tier, seed)));
            means[tier] = gradings.Average(g => g.Score.Score);
        }

        return means;
    }
}
