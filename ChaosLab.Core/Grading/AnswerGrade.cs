using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Grading;

/// <summary>The graded answer: weighted correctness in [0, 1] and one criterion per slot, in the key's order.</summary>
public sealed record AnswerGrade(double Correctness, IReadOnlyList<GradeCriterion> Slots);
