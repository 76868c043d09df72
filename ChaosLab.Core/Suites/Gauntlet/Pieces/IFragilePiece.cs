using ChaosLab.Core.Faults;
using ChaosLab.Core.Suites.Gauntlet.Harness;

namespace ChaosLab.Core.Suites.Gauntlet.Pieces;

/// <summary>
/// A fragile piece of production Python an agent hardens (one gauntlet task): its original
/// source, its requirements as observable behaviour in three cascading tiers, and the cases that
/// grade a rewrite, drawn from a seed. A piece is immutable and thread-safe.
/// </summary>
public interface IFragilePiece
{
    /// <summary>The task id (<c>stream</c>, <c>retry</c>, <c>consumer</c>).</summary>
    string Id { get; }

    string Title { get; }

    /// <summary>What the agent is told about the task at reset (one paragraph).</summary>
    string Guidance { get; }

    /// <summary>The function graded, called as <c>entry(payload, state)</c>.</summary>
    string EntryPoint { get; }

    /// <summary>The runtime dependencies the code may call by name (besides <c>now</c> and <c>sleep</c>); scripted per case.</summary>
    IReadOnlyList<string> Dependencies { get; }

    /// <summary>The code as deployed: what <c>read_source</c> serves and what diffs start from.</summary>
    string OriginalSource { get; }

    /// <summary>The requirements as Markdown: every tier's behaviour, its constants, the runtime's API.</summary>
    string Requirements { get; }

    /// <summary>The three tiers, in order: 1 data integrity, 2 statistical or semantic stability, 3 resilience.</summary>
    IReadOnlyList<RequirementTier> RequirementTiers { get; }

    /// <summary>The adversarial input classes the cases draw from (fault kinds of family Data, Shape, Transport or Adversarial; names unique across suites).</summary>
    IReadOnlyList<FaultKind> FaultKinds { get; }

    /// <summary>
    /// Served sources that are not correct (reference agents submit them, tests bound their
    /// scores). A correct hardened solution is never part of a piece: it lives in the tests.
    /// </summary>
    PieceBaselines Baselines { get; }

    /// <summary>
    /// The cases of one draw: a pure function of the draw (same draw, same bytes). The public
    /// examples and the hidden grading set are different streams of the same seed.
    /// </summary>
    PieceCases Generate(CaseDraw draw);
}

/// <param name="Number">1, 2 or 3.</param>
/// <param name="Name">"data integrity", "statistical stability", "resilience".</param>
/// <param name="Summary">One sentence: what passing the tier means.</param>
public sealed record RequirementTier(int Number, string Name, string Summary);

/// <param name="Stream">Which draw: <see cref="PublicStream"/> (served as examples) or <see cref="HiddenStream"/> (grading).</param>
public sealed record CaseDraw(long Seed, string Stream, PieceDifficulty Difficulty)
{
    public const string PublicStream = "public";
    public const string HiddenStream = "hidden";
}

/// <summary>How hard a scenario's cases are; a piece turns these knobs into its own parameters.</summary>
/// <param name="Intensity">0 (a few faults, mild) to 1 (many, severe): rates, magnitudes, burst sizes, outage lengths.</param>
/// <param name="Kinds">Names of the piece's fault kinds the cases may use (a scenario can leave some out).</param>
/// <param name="Cases">How many cases a draw has.</param>
/// <param name="GradedTiers">The requirement tiers graded, e.g. [1] or [1, 2, 3]; cases still exercise only these.</param>
public sealed record PieceDifficulty(double Intensity, IReadOnlyList<string> Kinds, int Cases, IReadOnlyList<int> GradedTiers);

/// <param name="NaivePatch">A quick fix that handles the obvious failure and misses the rest (for the stream piece: a filter that drops non-numbers and values ≥ 900).</param>
/// <param name="PartialFix">A careful fix of tier 1 only.</param>
/// <param name="KeywordStuffed">Wrong code dressed up: guardrail and telemetry words in comments and names, a telemetry dict of constant flags.</param>
public sealed record PieceBaselines(string NaivePatch, string PartialFix, string KeywordStuffed);
