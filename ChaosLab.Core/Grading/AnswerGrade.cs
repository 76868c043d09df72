using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Grading;

/// <summary>The graded answer: weighted correctness in [0, 1] and one verdict per slot.</summary>
public sealed record AnswerGrade(double Correctness, IReadOnlyList<SlotVerdict> Slots);
